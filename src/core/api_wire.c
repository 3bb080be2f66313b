/*
 * api_wire: weft's message wire format (described in src/core/clone.c)
 * written and read in C, for the embedding API: JSON text to a message that
 * JavaScript receives as the parsed value, and a message from JavaScript to
 * JSON text or bytes, without a JSContext (a C producer thread has none).
 *
 * This file follows clone.c's format version WEFT_WIRE_VERSION; the API
 * tests send values both ways through real threads so that a change there
 * shows up here. Both sides check every length: a corrupt message is an
 * error, never a read outside it.
 */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "core/api.h"
#include "core/clone.h"
#include "quickjs.h"

/* Nesting limit on both sides, as clone.c's. */
#define MAX_DEPTH 10000

/* ---- writing -------------------------------------------------------------- */

static void reserve(wire_buf *b, size_t n)
{
    if (b->oom || b->cap - b->len >= n)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->len < n) {
        if (cap > SIZE_MAX / 2) {
            b->oom = true;
            return;
        }
        cap *= 2;
    }
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return;
    }
    b->p = p;
    b->cap = cap;
}

static void put(wire_buf *b, const void *data, size_t n)
{
    reserve(b, n);
    if (b->oom)
        return;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
}

void weft__wire_init(wire_buf *b)
{
    memset(b, 0, sizeof *b);
    weft__wire_byte(b, WEFT_WIRE_VERSION);
}

void weft__wire_free(wire_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

void weft__wire_byte(wire_buf *b, uint8_t v)
{
    put(b, &v, 1);
}

void weft__wire_varint(wire_buf *b, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0;
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        tmp[n++] = byte | (v ? 0x80 : 0);
    } while (v);
    put(b, tmp, n);
}

void weft__wire_double(wire_buf *b, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    uint8_t tmp[8];
    for (int i = 0; i < 8; i++)
        tmp[i] = (uint8_t)(bits >> (8 * i));
    put(b, tmp, 8);
}

void weft__wire_string(wire_buf *b, const char *s, size_t n)
{
    weft__wire_varint(b, n);
    put(b, s, n);
}

void weft__wire_key(wire_buf *b, const char *s)
{
    size_t n = strlen(s);
    weft__wire_varint(b, ((uint64_t)n + 1) << 1); /* even: a new key of n bytes */
    put(b, s, n);
}

void weft__wire_end_props(wire_buf *b)
{
    weft__wire_byte(b, 0);
}

weft_message *weft__wire_message(wire_buf *b)
{
    if (b->oom)
        return NULL;
    weft_message *m = weft__message_new(WEFT_MSG_DATA, b->p, b->len);
    weft__wire_free(b);
    return m;
}

/* ---- JSON to wire ----------------------------------------------------------- */

typedef struct json_parser {
    const char *p, *end;
    wire_buf *out;
    int depth;
    const char *error;
    wire_buf str; /* scratch for a decoded string */
} json_parser;

static locale_t c_locale;
static uv_once_t c_locale_once = UV_ONCE_INIT;

static void c_locale_init(void)
{
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

static int fail_at(json_parser *j, const char *what)
{
    if (!j->error)
        j->error = what;
    return -1;
}

static void skip_ws(json_parser *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static bool literal(json_parser *j, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(j->end - j->p) >= n && memcmp(j->p, word, n) == 0) {
        j->p += n;
        return true;
    }
    return false;
}

static int hex4(json_parser *j, unsigned *out)
{
    if (j->end - j->p < 4)
        return fail_at(j, "truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = *j->p++;
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return fail_at(j, "bad \\u escape");
    }
    *out = v;
    return 0;
}

/* WTF-8: UTF-8 that also encodes lone surrogates, as clone.c's strings. */
static void put_code_point(wire_buf *b, unsigned c)
{
    uint8_t tmp[4];
    size_t n;
    if (c < 0x80) {
        tmp[0] = (uint8_t)c;
        n = 1;
    } else if (c < 0x800) {
        tmp[0] = (uint8_t)(0xc0 | (c >> 6));
        tmp[1] = (uint8_t)(0x80 | (c & 0x3f));
        n = 2;
    } else if (c < 0x10000) {
        tmp[0] = (uint8_t)(0xe0 | (c >> 12));
        tmp[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
        tmp[2] = (uint8_t)(0x80 | (c & 0x3f));
        n = 3;
    } else {
        tmp[0] = (uint8_t)(0xf0 | (c >> 18));
        tmp[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
        tmp[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
        tmp[3] = (uint8_t)(0x80 | (c & 0x3f));
        n = 4;
    }
    put(b, tmp, n);
}

/* Length of the valid UTF-8 sequence at p (no surrogates, no overlongs),
 * or 0. */
static size_t utf8_sequence(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    unsigned cp = c & (0xff >> (n + 1));
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* A JSON string (at the opening quote) into j->str, decoded. */
static int parse_string(json_parser *j)
{
    j->str.len = 0;
    j->p++;
    for (;;) {
        if (j->p >= j->end)
            return fail_at(j, "unterminated string");
        unsigned char c = (unsigned char)*j->p;
        if (c == '"') {
            j->p++;
            return j->str.oom ? fail_at(j, "out of memory") : 0;
        }
        if (c < 0x20)
            return fail_at(j, "control character in a string");
        if (c != '\\') {
            size_t n = utf8_sequence((const unsigned char *)j->p, (const unsigned char *)j->end);
            if (!n)
                return fail_at(j, "invalid UTF-8");
            put(&j->str, j->p, n);
            j->p += n;
            continue;
        }
        j->p++;
        if (j->p >= j->end)
            return fail_at(j, "unterminated string");
        char e = *j->p++;
        unsigned cp;
        switch (e) {
        case '"': cp = '"'; break;
        case '\\': cp = '\\'; break;
        case '/': cp = '/'; break;
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u':
            if (hex4(j, &cp) < 0)
                return -1;
            if (cp >= 0xd800 && cp <= 0xdbff && j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u') {
                const char *save = j->p;
                unsigned lo;
                j->p += 2;
                if (hex4(j, &lo) < 0)
                    return -1;
                if (lo >= 0xdc00 && lo <= 0xdfff)
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                else
                    j->p = save; /* a lone high surrogate, then another escape */
            }
            break;
        default:
            return fail_at(j, "bad escape in a string");
        }
        put_code_point(&j->str, cp);
    }
}

static int parse_number(json_parser *j)
{
    const char *start = j->p;
    if (j->p < j->end && *j->p == '-')
        j->p++;
    if (j->p >= j->end)
        return fail_at(j, "bad number");
    if (*j->p == '0') {
        j->p++;
    } else if (*j->p >= '1' && *j->p <= '9') {
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    } else {
        return fail_at(j, "bad number");
    }
    bool integer = true;
    if (j->p < j->end && *j->p == '.') {
        integer = false;
        j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9')
            return fail_at(j, "bad number");
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        integer = false;
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9')
            return fail_at(j, "bad number");
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
            j->p++;
    }
    char tmp[64];
    size_t n = (size_t)(j->p - start);
    char *text = n < sizeof tmp ? tmp : malloc(n + 1);
    if (!text)
        return fail_at(j, "out of memory");
    memcpy(text, start, n);
    text[n] = '\0';
    uv_once(&c_locale_once, c_locale_init);
    double d = c_locale ? strtod_l(text, NULL, c_locale) : strtod(text, NULL);
    if (text != tmp)
        free(text);
    /* -0 is a double, as in JavaScript. */
    if (integer && d >= INT32_MIN && d <= INT32_MAX && !(d == 0 && start[0] == '-')) {
        int32_t i = (int32_t)d;
        weft__wire_byte(j->out, WIRE_INT);
        weft__wire_varint(j->out, ((uint32_t)i << 1) ^ (uint32_t)(i >> 31)); /* zigzag */
    } else {
        weft__wire_byte(j->out, WIRE_DOUBLE);
        weft__wire_double(j->out, d);
    }
    return 0;
}

static int parse_value(json_parser *j);

static int parse_array(json_parser *j)
{
    /* The length comes first in the wire format: write the elements into a
     * buffer of their own, then the array. */
    wire_buf *outer = j->out;
    wire_buf items = { 0 };
    j->out = &items;
    uint64_t n = 0;
    int rc = 0;
    j->p++;
    skip_ws(j);
    if (j->p < j->end && *j->p == ']') {
        j->p++;
    } else {
        for (;;) {
            if ((rc = parse_value(j)) < 0)
                break;
            n++;
            skip_ws(j);
            if (j->p < j->end && *j->p == ',') {
                j->p++;
                continue;
            }
            if (j->p < j->end && *j->p == ']') {
                j->p++;
                break;
            }
            rc = fail_at(j, "expected ',' or ']'");
            break;
        }
    }
    j->out = outer;
    if (rc == 0 && n > UINT32_MAX - 1)
        rc = fail_at(j, "array too long");
    if (rc == 0) {
        weft__wire_byte(outer, WIRE_ARRAY);
        weft__wire_varint(outer, n); /* length */
        weft__wire_varint(outer, n); /* dense elements */
        put(outer, items.p, items.len);
        if (items.oom)
            outer->oom = true;
        weft__wire_end_props(outer);
    }
    weft__wire_free(&items);
    return rc;
}

static int parse_object(json_parser *j)
{
    weft__wire_byte(j->out, WIRE_OBJECT);
    j->p++;
    skip_ws(j);
    if (j->p < j->end && *j->p == '}') {
        j->p++;
        weft__wire_end_props(j->out);
        return 0;
    }
    for (;;) {
        skip_ws(j);
        if (j->p >= j->end || *j->p != '"')
            return fail_at(j, "expected a property name");
        if (parse_string(j) < 0)
            return -1;
        weft__wire_varint(j->out, ((uint64_t)j->str.len + 1) << 1);
        put(j->out, j->str.p, j->str.len);
        skip_ws(j);
        if (j->p >= j->end || *j->p != ':')
            return fail_at(j, "expected ':'");
        j->p++;
        if (parse_value(j) < 0)
            return -1;
        skip_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == '}') {
            j->p++;
            weft__wire_end_props(j->out);
            return 0;
        }
        return fail_at(j, "expected ',' or '}'");
    }
}

static int parse_value(json_parser *j)
{
    skip_ws(j);
    if (j->p >= j->end)
        return fail_at(j, "unexpected end of JSON");
    if (++j->depth > MAX_DEPTH)
        return fail_at(j, "nested too deeply");
    int rc = 0;
    switch (*j->p) {
    case '{':
        rc = parse_object(j);
        break;
    case '[':
        rc = parse_array(j);
        break;
    case '"':
        rc = parse_string(j);
        if (rc == 0) {
            weft__wire_byte(j->out, WIRE_STRING);
            weft__wire_string(j->out, (const char *)j->str.p, j->str.len);
        }
        break;
    case 't':
        if (literal(j, "true"))
            weft__wire_byte(j->out, WIRE_TRUE);
        else
            rc = fail_at(j, "unexpected token");
        break;
    case 'f':
        if (literal(j, "false"))
            weft__wire_byte(j->out, WIRE_FALSE);
        else
            rc = fail_at(j, "unexpected token");
        break;
    case 'n':
        if (literal(j, "null"))
            weft__wire_byte(j->out, WIRE_NULL);
        else
            rc = fail_at(j, "unexpected token");
        break;
    default:
        rc = parse_number(j);
        break;
    }
    j->depth--;
    return rc;
}

int weft__wire_json(wire_buf *b, const char *json, size_t len)
{
    json_parser j = { .p = json, .end = json + len, .out = b };
    int rc = parse_value(&j);
    if (rc == 0) {
        skip_ws(&j);
        if (j.p != j.end)
            rc = fail_at(&j, "unexpected text after the value");
    }
    weft__wire_free(&j.str);
    if (rc < 0)
        return weft__api_fail(WEFT_EINVAL, "invalid JSON at offset %zu: %s", (size_t)(j.p - json), j.error);
    if (b->oom)
        return weft__api_fail(WEFT_ENOMEM, "out of memory");
    return WEFT_OK;
}

/* ---- wire to JSON ----------------------------------------------------------- */

typedef struct key_ref {
    const uint8_t *p;
    size_t len;
} key_ref;

typedef struct json_writer {
    const uint8_t *p, *end;
    const weft_message *msg;
    wire_buf out;          /* the JSON text */
    key_ref *keys;
    size_t n_keys, cap_keys;
    int depth;
    int err;
    char what[160];
} json_writer;

static int bad(json_writer *w, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bad(json_writer *w, int err, const char *fmt, ...)
{
    if (!w->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(w->what, sizeof w->what, fmt, ap);
        va_end(ap);
        w->err = err;
    }
    return -1;
}

static int get_u8(json_writer *w, uint8_t *v)
{
    if (w->p >= w->end)
        return bad(w, WEFT_EINVAL, "corrupt message: truncated");
    *v = *w->p++;
    return 0;
}

static int get_varint(json_writer *w, uint64_t *v)
{
    uint64_t r = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        uint8_t byte = 0;
        if (get_u8(w, &byte) < 0)
            return -1;
        r |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *v = r;
            return 0;
        }
    }
    return bad(w, WEFT_EINVAL, "corrupt message: varint too long");
}

static int get_double(json_writer *w, double *d)
{
    if (w->end - w->p < 8)
        return bad(w, WEFT_EINVAL, "corrupt message: truncated");
    uint64_t bits = 0;
    for (int i = 0; i < 8; i++)
        bits |= (uint64_t)w->p[i] << (8 * i);
    w->p += 8;
    memcpy(d, &bits, sizeof *d);
    return 0;
}

static int get_bytes(json_writer *w, const uint8_t **p, size_t *n)
{
    uint64_t len;
    if (get_varint(w, &len) < 0)
        return -1;
    if (len > (uint64_t)(w->end - w->p))
        return bad(w, WEFT_EINVAL, "corrupt message: a string runs past the end");
    *p = w->p;
    *n = (size_t)len;
    w->p += len;
    return 0;
}

static void out_str(json_writer *w, const char *s)
{
    put(&w->out, s, strlen(s));
}

static void out_number(json_writer *w, double d)
{
    if (!isfinite(d)) {
        out_str(w, "null"); /* as JSON.stringify */
        return;
    }
    if (d == 0) {
        out_str(w, "0");
        return;
    }
    /* The shortest digits that read back as the same double, laid out as
     * JavaScript's Number.prototype.toString does (ECMAScript
     * Number::toString), so that C writes what JSON.stringify writes. */
    char sci[40];
    uv_once(&c_locale_once, c_locale_init);
    locale_t old = c_locale ? uselocale(c_locale) : (locale_t)0;
    for (int prec = 0; prec <= 16; prec++) {
        snprintf(sci, sizeof sci, "%.*e", prec, d);
        if (strtod(sci, NULL) == d)
            break;
    }
    if (c_locale)
        uselocale(old);
    /* sci is [-]d[.ddd]e[+-]xx: split it into digits and exponent. */
    char digits[24];
    int k = 0, i = 0;
    bool negative = sci[0] == '-';
    if (negative)
        i++;
    for (; sci[i] && sci[i] != 'e'; i++) {
        if (sci[i] != '.' && k < (int)sizeof digits - 1)
            digits[k++] = sci[i];
    }
    digits[k] = '\0';
    int n = (sci[i] == 'e' ? atoi(sci + i + 1) : 0) + 1; /* the decimal point's place */
    char tmp[64];
    size_t len = 0;
    if (negative)
        tmp[len++] = '-';
    if (k <= n && n <= 21) {
        memcpy(tmp + len, digits, (size_t)k);
        len += (size_t)k;
        for (int z = k; z < n; z++)
            tmp[len++] = '0';
    } else if (0 < n && n <= 21) {
        memcpy(tmp + len, digits, (size_t)n);
        len += (size_t)n;
        tmp[len++] = '.';
        memcpy(tmp + len, digits + n, (size_t)(k - n));
        len += (size_t)(k - n);
    } else if (-6 < n && n <= 0) {
        tmp[len++] = '0';
        tmp[len++] = '.';
        for (int z = 0; z < -n; z++)
            tmp[len++] = '0';
        memcpy(tmp + len, digits, (size_t)k);
        len += (size_t)k;
    } else {
        tmp[len++] = digits[0];
        if (k > 1) {
            tmp[len++] = '.';
            memcpy(tmp + len, digits + 1, (size_t)(k - 1));
            len += (size_t)(k - 1);
        }
        len += (size_t)snprintf(tmp + len, sizeof tmp - len, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
    }
    put(&w->out, tmp, len);
}

/* A WTF-8 string as a JSON string; lone surrogates become \u escapes. */
static void out_string(json_writer *w, const uint8_t *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    put(&w->out, "\"", 1);
    for (size_t i = 0; i < n;) {
        uint8_t c = s[i];
        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };
            put(&w->out, esc, 2);
            i++;
        } else if (c < 0x20) {
            char esc[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
            const char *named = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r"
                              : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
            out_str(w, named ? named : esc);
            i++;
        } else if (c == 0xed && i + 2 < n && s[i + 1] >= 0xa0) {
            /* A surrogate code point (WTF-8): valid JSON only escaped. */
            unsigned cp = ((unsigned)(c & 0x0f) << 12) | ((unsigned)(s[i + 1] & 0x3f) << 6) | (s[i + 2] & 0x3f);
            char esc[7] = { '\\', 'u', hex[cp >> 12], hex[(cp >> 8) & 15], hex[(cp >> 4) & 15], hex[cp & 15], 0 };
            out_str(w, esc);
            i += 3;
        } else {
            put(&w->out, s + i, 1);
            i++;
        }
    }
    put(&w->out, "\"", 1);
}

static int skip_or_write(json_writer *w, bool emit);

static int read_key(json_writer *w, key_ref *key, bool *end)
{
    uint64_t k;
    if (get_varint(w, &k) < 0)
        return -1;
    *end = k == 0;
    if (k == 0)
        return 0;
    if (k & 1) {
        if ((k >> 1) >= w->n_keys)
            return bad(w, WEFT_EINVAL, "corrupt message: key %llu is not defined", (unsigned long long)(k >> 1));
        *key = w->keys[k >> 1];
        return 0;
    }
    uint64_t len = (k >> 1) - 1;
    if (len > (uint64_t)(w->end - w->p))
        return bad(w, WEFT_EINVAL, "corrupt message: a key runs past the end");
    if (w->n_keys == w->cap_keys) {
        size_t cap = w->cap_keys ? w->cap_keys * 2 : 16;
        key_ref *keys = realloc(w->keys, cap * sizeof *keys);
        if (!keys)
            return bad(w, WEFT_ENOMEM, "out of memory");
        w->keys = keys;
        w->cap_keys = cap;
    }
    key->p = w->p;
    key->len = (size_t)len;
    w->keys[w->n_keys++] = *key;
    w->p += len;
    return 0;
}

/* Writes the properties of an object; with `first` telling whether a
 * member was already written (arrays' extra properties are dropped, as
 * JSON.stringify does). */
static int write_props(json_writer *w, bool emit, bool *first)
{
    for (;;) {
        key_ref key;
        bool end;
        if (read_key(w, &key, &end) < 0)
            return -1;
        if (end)
            return 0;
        /* undefined members are left out, as JSON.stringify does. */
        bool undef = w->p < w->end && *w->p == WIRE_UNDEFINED;
        if (emit && !undef) {
            if (!*first)
                put(&w->out, ",", 1);
            *first = false;
            out_string(w, key.p, key.len);
            put(&w->out, ":", 1);
        }
        if (skip_or_write(w, emit && !undef) < 0)
            return -1;
    }
}

/* An array index key ("0", "17"; no sign, no leading zero) below length. */
static bool index_key(const key_ref *k, uint64_t length, uint64_t *index)
{
    if (k->len == 0 || k->len > 10 || (k->len > 1 && k->p[0] == '0'))
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < k->len; i++) {
        if (k->p[i] < '0' || k->p[i] > '9')
            return false;
        v = v * 10 + (k->p[i] - '0');
    }
    if (v >= length)
        return false;
    *index = v;
    return true;
}

typedef struct sparse_item {
    uint64_t index;
    wire_buf text;
} sparse_item;

static int by_index(const void *a, const void *b)
{
    uint64_t x = ((const sparse_item *)a)->index, y = ((const sparse_item *)b)->index;
    return x < y ? -1 : x > y;
}

/* An array's properties after its dense elements: index keys are elements,
 * written in order with nulls between, as JSON.stringify does. */
static int write_sparse(json_writer *w, bool emit, uint64_t dense, uint64_t length)
{
    if (emit && length - dense > (1u << 26))
        return bad(w, WEFT_ETYPE, "a sparse array of length %llu is too long for JSON", (unsigned long long)length);
    sparse_item *items = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (;;) {
        key_ref key;
        bool end;
        if ((rc = read_key(w, &key, &end)) < 0 || end)
            break;
        uint64_t index;
        if (!emit || !index_key(&key, length, &index)) {
            if ((rc = skip_or_write(w, false)) < 0)
                break;
            continue;
        }
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            sparse_item *p = realloc(items, ncap * sizeof *p);
            if (!p) {
                rc = bad(w, WEFT_ENOMEM, "out of memory");
                break;
            }
            items = p;
            cap = ncap;
        }
        /* Each element is written on its own, then placed by index. */
        wire_buf saved = w->out;
        memset(&w->out, 0, sizeof w->out);
        bool undef = w->p < w->end && *w->p == WIRE_UNDEFINED;
        rc = skip_or_write(w, true);
        items[n].index = index;
        items[n].text = w->out;
        w->out = saved;
        if (undef) {
            items[n].text.len = 0;
            put(&items[n].text, "null", 4);
        }
        n++;
        if (rc < 0)
            break;
    }
    if (rc == 0 && emit) {
        if (n)
            qsort(items, n, sizeof *items, by_index);
        size_t next = 0;
        for (uint64_t i = dense; i < length; i++) {
            if (i)
                put(&w->out, ",", 1);
            while (next < n && items[next].index < i)
                next++; /* a repeated key: the first wins */
            if (next < n && items[next].index == i)
                put(&w->out, items[next].text.p, items[next].text.len);
            else
                out_str(w, "null");
        }
    }
    for (size_t i = 0; i < n; i++)
        weft__wire_free(&items[i].text);
    free(items);
    return rc;
}

/* The time value of a Date as JSON.stringify writes it (toISOString). */
static void out_date(json_writer *w, double t)
{
    if (!isfinite(t) || fabs(t) > 8.64e15) {
        out_str(w, "null");
        return;
    }
    double ms = fmod(t, 1000);
    if (ms < 0)
        ms += 1000;
    time_t secs = (time_t)((t - ms) / 1000);
    struct tm tm;
    if (!gmtime_r(&secs, &tm)) {
        out_str(w, "null");
        return;
    }
    char tmp[48];
    long year = (long)tm.tm_year + 1900;
    if (year >= 0 && year <= 9999)
        snprintf(tmp, sizeof tmp, "\"%04ld-%02d-%02dT%02d:%02d:%02d.%03dZ\"", year, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec, (int)ms);
    else
        snprintf(tmp, sizeof tmp, "\"%+07ld-%02d-%02dT%02d:%02d:%02d.%03dZ\"", year, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec, (int)ms);
    out_str(w, tmp);
}

static const char *const error_names[] = {
    "Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError",
    "AggregateError",
};

static int write_error(json_writer *w, bool emit)
{
    uint8_t name = 0, present = 0;
    if (get_u8(w, &name) < 0 || get_u8(w, &present) < 0)
        return -1;
    if (name >= sizeof error_names / sizeof error_names[0] || present > 15)
        return bad(w, WEFT_EINVAL, "corrupt message: error fields");
    if (emit) {
        out_str(w, "{\"name\":");
        out_string(w, (const uint8_t *)error_names[name], strlen(error_names[name]));
    }
    static const char *const fields[] = { "message", "stack" };
    for (int i = 0; i < 2; i++) {
        if (!(present & (1 << i)))
            continue;
        const uint8_t *s = NULL;
        size_t n = 0;
        if (get_bytes(w, &s, &n) < 0)
            return -1;
        if (emit) {
            put(&w->out, ",\"", 2);
            out_str(w, fields[i]);
            put(&w->out, "\":", 2);
            out_string(w, s, n);
        }
    }
    for (int i = 2; i < 4; i++) { /* cause, errors: read, not written */
        if ((present & (1 << i)) && skip_or_write(w, false) < 0)
            return -1;
    }
    if (emit)
        put(&w->out, "}", 1);
    return 0;
}

/* Typed array elements as JSON.stringify writes a typed array: an object
 * with the indices as keys. */
static int write_typed(json_writer *w, bool emit, uint8_t type, const uint8_t *data, size_t len,
                       uint64_t offset, uint64_t count)
{
    static const uint8_t sizes[] = { 1, 1, 1, 2, 2, 4, 4, 8, 8, 4, 8 };
    size_t size = sizes[type];
    if (offset > len || count > (len - offset) / size)
        return bad(w, WEFT_EINVAL, "corrupt message: a view runs past its buffer");
    if (!emit)
        return 0;
    if (type == JS_TYPED_ARRAY_BIG_INT64 || type == JS_TYPED_ARRAY_BIG_UINT64)
        return bad(w, WEFT_ETYPE, "a BigInt typed array has no JSON form");
    put(&w->out, "{", 1);
    const uint8_t *p = data + offset;
    for (uint64_t i = 0; i < count; i++, p += size) {
        char key[32];
        snprintf(key, sizeof key, "%s\"%llu\":", i ? "," : "", (unsigned long long)i);
        out_str(w, key);
        uint64_t raw = 0;
        for (size_t b = 0; b < size; b++)
            raw |= (uint64_t)p[b] << (8 * b); /* little-endian, as the engine on the platforms weft runs on */
        double v;
        switch (type) {
        case JS_TYPED_ARRAY_INT8: v = (int8_t)raw; break;
        case JS_TYPED_ARRAY_INT16: v = (int16_t)raw; break;
        case JS_TYPED_ARRAY_INT32: v = (int32_t)raw; break;
        case JS_TYPED_ARRAY_FLOAT32: {
            uint32_t bits = (uint32_t)raw;
            float f;
            memcpy(&f, &bits, sizeof f);
            v = f;
            break;
        }
        case JS_TYPED_ARRAY_FLOAT64:
            memcpy(&v, &raw, sizeof v);
            break;
        default:
            v = (double)raw;
            break;
        }
        out_number(w, v);
    }
    put(&w->out, "}", 1);
    return 0;
}

/* The bytes behind a buffer value (ARRAY_BUFFER, MOVED_BUFFER,
 * SHARED_BUFFER) whose tag was just read. */
static int buffer_bytes(json_writer *w, uint8_t tag, const uint8_t **data, size_t *len, int *moved)
{
    *moved = -1;
    if (tag == WIRE_ARRAY_BUFFER)
        return get_bytes(w, data, len);
    uint64_t i;
    if (get_varint(w, &i) < 0)
        return -1;
    const weft_message_sides *s = weft__message_sides_or_none(w->msg);
    if (tag == WIRE_MOVED_BUFFER) {
        if (i >= s->n_moved || !s->moved[i].data)
            return bad(w, WEFT_EINVAL, "corrupt message: moved buffer %llu", (unsigned long long)i);
        *data = s->moved[i].data;
        *len = s->moved[i].len;
        *moved = (int)i;
        return 0;
    }
    if (i >= s->n_shared)
        return bad(w, WEFT_EINVAL, "corrupt message: shared buffer %llu", (unsigned long long)i);
    *data = s->shared[i];
    *len = s->shared_len[i];
    return 0;
}

/* A view (its tag read): type for typed arrays, then the buffer. */
static int write_view(json_writer *w, bool emit, bool typed)
{
    uint8_t type = JS_TYPED_ARRAY_UINT8, tag = 0;
    if (typed && get_u8(w, &type) < 0)
        return -1;
    if (type > JS_TYPED_ARRAY_FLOAT64)
        return bad(w, WEFT_EINVAL, "corrupt message: typed array type");
    if (get_u8(w, &tag) < 0)
        return -1;
    const uint8_t *data;
    size_t len;
    int moved;
    if (tag == WIRE_REF)
        return bad(w, WEFT_ETYPE, "the value has repeated references");
    if (tag != WIRE_ARRAY_BUFFER && tag != WIRE_MOVED_BUFFER && tag != WIRE_SHARED_BUFFER)
        return bad(w, WEFT_EINVAL, "corrupt message: a view's buffer");
    uint64_t offset, count;
    if (buffer_bytes(w, tag, &data, &len, &moved) < 0 || get_varint(w, &offset) < 0 || get_varint(w, &count) < 0)
        return -1;
    if (!typed) {
        if (offset > len || count > len - offset)
            return bad(w, WEFT_EINVAL, "corrupt message: a view runs past its buffer");
        if (emit)
            out_str(w, "{}");
        return 0;
    }
    return write_typed(w, emit, type, data, len, offset, count);
}

/* Reads one value; writes its JSON when emit. */
static int skip_or_write(json_writer *w, bool emit)
{
    uint8_t tag = 0;
    if (get_u8(w, &tag) < 0)
        return -1;
    if (++w->depth > MAX_DEPTH)
        return bad(w, WEFT_EINVAL, "nested too deeply");
    int rc = 0;
    switch (tag) {
    case WIRE_UNDEFINED:
        if (emit)
            out_str(w, "null"); /* in arrays; members are left out before */
        break;
    case WIRE_NULL:
        if (emit)
            out_str(w, "null");
        break;
    case WIRE_FALSE:
    case WIRE_TRUE:
        if (emit)
            out_str(w, tag == WIRE_TRUE ? "true" : "false");
        break;
    case WIRE_INT: {
        uint64_t z;
        rc = get_varint(w, &z);
        if (rc == 0 && z > UINT32_MAX)
            rc = bad(w, WEFT_EINVAL, "corrupt message: int");
        if (rc == 0 && emit) {
            int32_t i = (int32_t)((uint32_t)z >> 1) ^ -(int32_t)(z & 1);
            char tmp[16];
            snprintf(tmp, sizeof tmp, "%d", i);
            out_str(w, tmp);
        }
        break;
    }
    case WIRE_DOUBLE:
    case WIRE_NUMBER_OBJECT: {
        double d;
        rc = get_double(w, &d);
        if (rc == 0 && emit)
            out_number(w, d);
        break;
    }
    case WIRE_DATE: {
        double d;
        rc = get_double(w, &d);
        if (rc == 0 && emit)
            out_date(w, d);
        break;
    }
    case WIRE_BOOLEAN_OBJECT: {
        uint8_t b = 0;
        rc = get_u8(w, &b);
        if (rc == 0 && emit)
            out_str(w, b ? "true" : "false");
        break;
    }
    case WIRE_STRING:
    case WIRE_STRING_OBJECT: {
        const uint8_t *s = NULL;
        size_t n = 0;
        rc = get_bytes(w, &s, &n);
        if (rc == 0 && emit)
            out_string(w, s, n);
        break;
    }
    case WIRE_BIGINT:
    case WIRE_BIGINT_OBJECT: {
        const uint8_t *s = NULL;
        size_t n = 0;
        rc = get_bytes(w, &s, &n);
        if (rc == 0 && emit)
            rc = bad(w, WEFT_ETYPE, "a BigInt has no JSON form");
        break;
    }
    case WIRE_REF:
        rc = bad(w, WEFT_ETYPE, "the value has repeated or circular references");
        break;
    case WIRE_OBJECT: {
        bool first = true;
        if (emit)
            put(&w->out, "{", 1);
        rc = write_props(w, emit, &first);
        if (rc == 0 && emit)
            put(&w->out, "}", 1);
        break;
    }
    case WIRE_ARRAY: {
        uint64_t length, dense;
        if (get_varint(w, &length) < 0 || get_varint(w, &dense) < 0 || dense > length || length > UINT32_MAX) {
            rc = bad(w, WEFT_EINVAL, "corrupt message: array");
            break;
        }
        if (emit)
            put(&w->out, "[", 1);
        for (uint64_t i = 0; rc == 0 && i < dense; i++) {
            if (emit && i)
                put(&w->out, ",", 1);
            if (w->p < w->end && *w->p == WIRE_HOLE) {
                w->p++;
                if (emit)
                    out_str(w, "null");
                continue;
            }
            rc = skip_or_write(w, emit);
        }
        /* Past the dense part, elements travel as properties (the other
         * properties are not in JSON); missing ones are nulls. */
        if (rc == 0)
            rc = write_sparse(w, emit, dense, length);
        if (rc == 0 && emit)
            put(&w->out, "]", 1);
        break;
    }
    case WIRE_REGEXP: {
        const uint8_t *s = NULL;
        size_t n = 0;
        rc = get_bytes(w, &s, &n) < 0 || get_bytes(w, &s, &n) < 0 ? -1 : 0;
        if (rc == 0 && emit)
            out_str(w, "{}");
        break;
    }
    case WIRE_MAP:
    case WIRE_SET: {
        uint64_t n;
        rc = get_varint(w, &n);
        if (rc == 0 && n > (uint64_t)(w->end - w->p))
            rc = bad(w, WEFT_EINVAL, "corrupt message: collection size");
        for (uint64_t i = 0; rc == 0 && i < n * (tag == WIRE_MAP ? 2 : 1); i++)
            rc = skip_or_write(w, false);
        if (rc == 0 && emit)
            out_str(w, "{}");
        break;
    }
    case WIRE_ERROR:
        rc = write_error(w, emit);
        break;
    case WIRE_ARRAY_BUFFER:
    case WIRE_MOVED_BUFFER:
    case WIRE_SHARED_BUFFER: {
        const uint8_t *data;
        size_t len;
        int moved;
        rc = buffer_bytes(w, tag, &data, &len, &moved);
        if (rc == 0 && emit)
            out_str(w, "{}");
        break;
    }
    case WIRE_TYPED_ARRAY:
    case WIRE_DATA_VIEW:
        rc = write_view(w, emit, tag == WIRE_TYPED_ARRAY);
        break;
    case WIRE_PORT: {
        uint64_t i;
        rc = get_varint(w, &i);
        if (rc == 0 && i >= weft__message_sides_or_none(w->msg)->n_ports)
            rc = bad(w, WEFT_EINVAL, "corrupt message: port %llu", (unsigned long long)i);
        if (rc == 0 && emit)
            out_str(w, "{}");
        break;
    }
    default:
        rc = bad(w, WEFT_EINVAL, "corrupt message: unknown tag %u", tag);
        break;
    }
    w->depth--;
    return rc;
}

static int start_reading(json_writer *w, const weft_message *msg)
{
    memset(w, 0, sizeof *w);
    w->msg = msg;
    w->p = msg->data;
    w->end = msg->data + msg->len;
    uint8_t version = 0;
    if (get_u8(w, &version) < 0)
        return -1;
    if (version != WEFT_WIRE_VERSION)
        return bad(w, WEFT_EINVAL, "wire format version %u, expected %u", version, WEFT_WIRE_VERSION);
    return 0;
}

int weft__wire_to_json(const weft_message *msg, char **out, size_t *len)
{
    json_writer w;
    int rc = start_reading(&w, msg);
    if (rc == 0 && w.p < w.end && *w.p == WIRE_UNDEFINED)
        rc = bad(&w, WEFT_ETYPE, "undefined has no JSON form");
    if (rc == 0)
        rc = skip_or_write(&w, true);
    if (rc == 0 && w.p != w.end)
        rc = bad(&w, WEFT_EINVAL, "corrupt message: bytes after the value");
    put(&w.out, "", 1); /* the NUL */
    if (rc == 0 && w.out.oom)
        rc = bad(&w, WEFT_ENOMEM, "out of memory");
    free(w.keys);
    if (rc < 0) {
        weft__wire_free(&w.out);
        return weft__api_fail(w.err, "%s", w.what);
    }
    *out = (char *)w.out.p;
    *len = w.out.len - 1;
    return WEFT_OK;
}

int weft__wire_bytes(const weft_message *msg, const uint8_t **data, size_t *len, int *moved)
{
    json_writer w;
    uint8_t tag = 0;
    int rc = start_reading(&w, msg);
    if (rc == 0)
        rc = get_u8(&w, &tag);
    if (rc == 0) {
        if (tag == WIRE_ARRAY_BUFFER || tag == WIRE_MOVED_BUFFER || tag == WIRE_SHARED_BUFFER) {
            rc = buffer_bytes(&w, tag, data, len, moved);
        } else if (tag == WIRE_TYPED_ARRAY || tag == WIRE_DATA_VIEW) {
            uint8_t type = JS_TYPED_ARRAY_UINT8, btag = 0;
            uint64_t offset = 0, count = 0;
            static const uint8_t sizes[] = { 1, 1, 1, 2, 2, 4, 4, 8, 8, 4, 8 };
            if ((tag == WIRE_TYPED_ARRAY && get_u8(&w, &type) < 0) || type > JS_TYPED_ARRAY_FLOAT64 ||
                get_u8(&w, &btag) < 0) {
                rc = bad(&w, WEFT_EINVAL, "corrupt message: view");
            } else if (btag != WIRE_ARRAY_BUFFER && btag != WIRE_MOVED_BUFFER && btag != WIRE_SHARED_BUFFER) {
                rc = bad(&w, WEFT_EINVAL, "corrupt message: a view's buffer");
            } else if (buffer_bytes(&w, btag, data, len, moved) < 0 || get_varint(&w, &offset) < 0 ||
                       get_varint(&w, &count) < 0) {
                rc = -1;
            } else {
                size_t size = tag == WIRE_TYPED_ARRAY ? sizes[type] : 1;
                if (offset > *len || count > (*len - offset) / size) {
                    rc = bad(&w, WEFT_EINVAL, "corrupt message: a view runs past its buffer");
                } else {
                    if (offset != 0 || count * size != *len)
                        *moved = -1; /* part of a buffer: not taken whole */
                    *data += offset;
                    *len = (size_t)(count * size);
                }
            }
        } else {
            rc = bad(&w, WEFT_ETYPE, "the value is not an ArrayBuffer, typed array or DataView");
        }
    }
    free(w.keys);
    if (rc < 0)
        return weft__api_fail(w.err, "%s", w.what);
    return WEFT_OK;
}
