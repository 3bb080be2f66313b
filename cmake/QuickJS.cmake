# QuickJS from Debian's source package, fetched by scripts/fetch-quickjs.sh
# into a directory shared by every build tree, and compiled here with this
# build's own flags (so sanitizer builds instrument the engine too).

set(WEFT_QUICKJS_VERSION 2025.04.26)
set(WEFT_DEPS_DIR "${PROJECT_SOURCE_DIR}/build/deps" CACHE PATH
    "Where the QuickJS source package is fetched and unpacked")
set(QUICKJS_DIR "${WEFT_DEPS_DIR}/quickjs-${WEFT_QUICKJS_VERSION}")

if(NOT EXISTS "${QUICKJS_DIR}/quickjs.c")
  message(STATUS "Fetching QuickJS ${WEFT_QUICKJS_VERSION} source package")
  execute_process(
    COMMAND bash "${PROJECT_SOURCE_DIR}/scripts/fetch-quickjs.sh" "${WEFT_DEPS_DIR}"
    RESULT_VARIABLE fetch_result)
  if(NOT fetch_result EQUAL 0)
    message(FATAL_ERROR "could not fetch the QuickJS source package (see above)")
  endif()
endif()

file(READ "${QUICKJS_DIR}/VERSION" QUICKJS_VERSION_STRING)
string(STRIP "${QUICKJS_VERSION_STRING}" QUICKJS_VERSION_STRING)

# The engine's objects are compiled once: the quickjs library (for the build
# tools) and libweft, which carries the engine so that embedders link one
# library (CMakeLists.txt), are both made of them. quickjs.c is compiled
# through src/engine/quickjs_weft.c, which includes it unchanged and adds
# weft's few engine-level functions (src/engine/engine.h).
add_library(quickjs_objs OBJECT
  ${PROJECT_SOURCE_DIR}/src/engine/quickjs_weft.c
  ${QUICKJS_DIR}/dtoa.c
  ${QUICKJS_DIR}/libregexp.c
  ${QUICKJS_DIR}/libunicode.c
  ${QUICKJS_DIR}/cutils.c
  ${QUICKJS_DIR}/quickjs-libc.c)
target_include_directories(quickjs_objs SYSTEM PUBLIC ${QUICKJS_DIR})
target_include_directories(quickjs_objs PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_compile_definitions(quickjs_objs PRIVATE
  _GNU_SOURCE CONFIG_VERSION="${QUICKJS_VERSION_STRING}")
# The engine relies on wrapping signed arithmetic; its own warnings are not ours.
target_compile_options(quickjs_objs PRIVATE -fwrapv -w)
set_target_properties(quickjs_objs PROPERTIES POSITION_INDEPENDENT_CODE ON)

add_library(quickjs STATIC $<TARGET_OBJECTS:quickjs_objs>)
target_include_directories(quickjs SYSTEM PUBLIC ${QUICKJS_DIR})
target_link_libraries(quickjs PUBLIC m dl Threads::Threads)

add_executable(qjsc ${QUICKJS_DIR}/qjsc.c)
target_compile_definitions(qjsc PRIVATE
  _GNU_SOURCE CONFIG_VERSION="${QUICKJS_VERSION_STRING}"
  CONFIG_CC="${CMAKE_C_COMPILER}" CONFIG_PREFIX="${CMAKE_INSTALL_PREFIX}")
target_compile_options(qjsc PRIVATE -w)
target_link_libraries(qjsc PRIVATE quickjs)

# qjs, QuickJS's own command, is not part of weft: bench/ builds it on demand
# (`cmake --build --preset default --target qjs`) to compare weft with the
# engine's os.Worker on the same engine build. Its REPL is bytecode that
# qjsc generates, as the engine's Makefile does.
add_custom_command(
  OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/qjs-repl.c"
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          $<TARGET_FILE:qjsc> -s -c -o "${CMAKE_CURRENT_BINARY_DIR}/qjs-repl.c" -m repl.js
  WORKING_DIRECTORY "${QUICKJS_DIR}"
  DEPENDS qjsc "${QUICKJS_DIR}/repl.js"
  VERBATIM)
add_executable(qjs EXCLUDE_FROM_ALL ${QUICKJS_DIR}/qjs.c "${CMAKE_CURRENT_BINARY_DIR}/qjs-repl.c")
target_compile_definitions(qjs PRIVATE _GNU_SOURCE CONFIG_VERSION="${QUICKJS_VERSION_STRING}")
target_compile_options(qjs PRIVATE -w)
target_link_libraries(qjs PRIVATE quickjs)

# jsc compiles weft's builtin JavaScript modules to bytecode (see tools/jsc.c).
add_executable(jsc ${PROJECT_SOURCE_DIR}/tools/jsc.c)
target_link_libraries(jsc PRIVATE quickjs)

# weft_embed_js(<target> <name> <file>): compile a JavaScript module to
# bytecode at build time and add the generated C file to <target>. The
# module is registered under <name> (e.g. "weft:internal/console").
function(weft_embed_js target name file)
  string(MAKE_C_IDENTIFIER "weft_js_${name}" ident)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/js/${ident}.c")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/js"
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
            $<TARGET_FILE:jsc> "${name}" "${ident}" "${file}" "${out}"
    DEPENDS jsc "${file}"
    COMMENT "Compiling ${name} to bytecode"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
