#ifndef QUALITY_GATES_CCURL_SHIM_H
#define QUALITY_GATES_CCURL_SHIM_H
// Types, constants and static inline helpers only: HTTPClient loads libcurl.so.4 when the first
// request is made (LibCurl.swift), so runs without HTTP checks never load libcurl and its
// dependencies. curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call;
// these helpers make the variadic call, in C, through the function pointer dlsym returned.
#include <curl/curl.h>

typedef CURLcode (*qg_curl_setopt_fn)(CURL *, CURLoption, ...);
typedef CURLcode (*qg_curl_getinfo_fn)(CURL *, CURLINFO, ...);
typedef size_t (*qg_curl_data_callback)(char *, size_t, size_t, void *);

static inline CURLcode qg_setopt_long(void *fn, CURL *handle, CURLoption option, long value) {
    return ((qg_curl_setopt_fn)fn)(handle, option, value);
}
static inline CURLcode qg_setopt_pointer(void *fn, CURL *handle, CURLoption option, const void *value) {
    return ((qg_curl_setopt_fn)fn)(handle, option, value);
}
static inline CURLcode qg_setopt_off(void *fn, CURL *handle, CURLoption option, curl_off_t value) {
    return ((qg_curl_setopt_fn)fn)(handle, option, value);
}
static inline CURLcode qg_setopt_callback(void *fn, CURL *handle, CURLoption option, qg_curl_data_callback value) {
    return ((qg_curl_setopt_fn)fn)(handle, option, value);
}
static inline CURLcode qg_getinfo_long(void *fn, CURL *handle, CURLINFO info, long *value) {
    return ((qg_curl_getinfo_fn)fn)(handle, info, value);
}
static inline CURLcode qg_getinfo_off(void *fn, CURL *handle, CURLINFO info, curl_off_t *value) {
    return ((qg_curl_getinfo_fn)fn)(handle, info, value);
}
static inline CURLcode qg_getinfo_string(void *fn, CURL *handle, CURLINFO info, char **value) {
    return ((qg_curl_getinfo_fn)fn)(handle, info, value);
}
#endif
