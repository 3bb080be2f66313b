/* Unit tests for src/core/path.c: the path arithmetic module resolution
 * stands on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/path.h"

static void check_normalize(const char *in, const char *want)
{
    char *got = weft__path_normalize(in);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_normalize(void **state)
{
    check_normalize("/a/b/../c", "/a/c");
    check_normalize("/a/./b//c/", "/a/b/c");
    check_normalize("/../..", "/");
    check_normalize("/", "/");
    check_normalize("a/../..", "..");
    check_normalize("../a/./b", "../a/b");
    check_normalize("", ".");
    check_normalize(".", ".");
    check_normalize("a/..", ".");
    check_normalize("//x///y", "/x/y");
}

static void test_join(void **state)
{
    char *p = weft__path_join("/home/u/app", "./lib/x.js");
    assert_string_equal(p, "/home/u/app/lib/x.js");
    free(p);
    p = weft__path_join("/home/u/app", "../y");
    assert_string_equal(p, "/home/u/y");
    free(p);
    p = weft__path_join("/home/u/app", "/etc/z");
    assert_string_equal(p, "/etc/z");
    free(p);
}

static void test_dirname(void **state)
{
    const char *cases[][2] = { { "/a/b/c.js", "/a/b" }, { "/a", "/" }, { "a", "." }, { "a/b", "a" } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *d = weft__path_dirname(cases[i][0]);
        assert_string_equal(d, cases[i][1]);
        free(d);
    }
}

static void test_specifiers(void **state)
{
    assert_true(weft__path_is_path_specifier("./x"));
    assert_true(weft__path_is_path_specifier("../x"));
    assert_true(weft__path_is_path_specifier("/x"));
    assert_true(weft__path_is_path_specifier("."));
    assert_true(weft__path_is_path_specifier(".."));
    assert_false(weft__path_is_path_specifier("events"));
    assert_false(weft__path_is_path_specifier(".hidden"));
    assert_false(weft__path_is_path_specifier("..x"));
    assert_false(weft__path_is_path_specifier("node:fs"));
}

static void test_extname(void **state)
{
    assert_string_equal(weft__path_extname("/a/b.mjs"), ".mjs");
    assert_string_equal(weft__path_extname("/a.b/c"), "");
    assert_string_equal(weft__path_extname("/a/.hidden"), "");
    assert_string_equal(weft__path_extname("x.tar.gz"), ".gz");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_dirname),
        cmocka_unit_test(test_specifiers),
        cmocka_unit_test(test_extname),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
