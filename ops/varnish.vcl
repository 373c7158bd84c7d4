vcl 4.1;

# Varnish (Debian's varnish package) as the shared cache in front of the app servers.
#
# It keeps what the app marks `public, s-maxage=…` (anonymous pages, the sitemap) for that
# long, and the app purges what a publish changed, after the commit (region_pages/cdn.py:
# set FRONTEND_CACHE_PURGE_URL to this Varnish, e.g. http://varnish:6081). The partner API
# answers `public, no-cache`: passed through every time, to the app's own response cache,
# so a partner following the change feed never reads an older answer. Nothing with the
# editors' session or CSRF cookie, or credentials, is kept or served from here.
#
# Check with `varnishd -C -f "$PWD/ops/varnish.vcl"`; `make prod-smoke` runs the whole stack
# through it on loopback (with the backend's port put in for 8000); `make scale-smoke` runs
# two app servers behind it (a second backend added to the director).

import directors;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}

# Every app server is a backend of its own, added to the director here; requests go to
# them in turn, and a safe request that one of them fails to answer is tried on the next.
sub vcl_init {
    new apps = directors.round_robin();
    apps.add_backend(app);
}

# Who may purge: the app servers. Add their addresses here.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = apps.backend();
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|documents)/" || req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        # An editor: the pages carry the user bar.
        return (pass);
    }
    # Other cookies say nothing to the public pages and the API; the language cookie
    # matters only for the root's redirect, which the app marks private.
    if (req.url ~ "^/(nb|en|api/v1)/" || req.url ~ "^/sitemap") {
        unset req.http.Cookie;
    }
    # The app sends a kept answer gzipped or plain as asked: two encodings at most.
    if (req.http.Accept-Encoding ~ "gzip") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    return (hash);
}

sub vcl_backend_response {
    # The app's Cache-Control decides (s-maxage first); the builtin rules keep nothing
    # that sets a cookie or is private, no-cache or no-store.
    if (beresp.status >= 500) {
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Serve a stale copy for a little while when the app is slow or restarting.
    set beresp.grace = 30s;
}

sub vcl_backend_error {
    # An app server that is stopping or gone (connection refused or reset before the
    # answer began): a GET or HEAD is tried again, on the next server.
    if (bereq.retries < 2 && bereq.method ~ "^(GET|HEAD)$") {
        return (retry);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
        # The id of the request that filled the cache, not this one's.
        unset resp.http.X-Request-ID;
    } else {
        set resp.http.X-Cache = "miss";
    }
    # Browsers keep pages for the app's max-age; the s-maxage is for this cache only.
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
