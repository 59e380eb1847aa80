"""Schemathesis checks for the reference server (loaded by scripts/schemathesis.sh through SCHEMATHESIS_HOOKS).

Schemathesis's own `not_a_server_error` counts every GraphQL error that carries a `path` as a resolver failure unless
`extensions.code` names a client error in Apollo's or graphql-java's vocabulary. The APIs served here have their own
formats (Greenhouse: a top-level `errorCode`; Workable: `extensions.code` as an HTTP status), and their documents
make some field errors client errors (an invalid cursor is `Validation`). This check reads each API's own code: a
server error is an HTTP 5xx, or an error coded `Server` (Greenhouse) or 5xx (Workable), or a response that is not a
GraphQL response at all.
"""

import schemathesis

SERVER_CODES = {"Server", "INTERNAL_SERVER_ERROR"}


@schemathesis.check
def no_server_error_in_the_apis_format(ctx, response, case):
    """Not a 5xx, and no error whose code, in the API's own format, says the server failed."""
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError as error:
        raise AssertionError(f"not JSON: {error}") from error
    if not isinstance(body, dict) or not ("data" in body or "errors" in body):
        raise AssertionError(f"not a GraphQL response: {str(body)[:200]}")
    for error in body.get("errors") or []:
        code = error.get("errorCode") or (error.get("extensions") or {}).get("code")
        if code in SERVER_CODES or (isinstance(code, str) and code.startswith("5")):
            raise AssertionError(f"server error {code}: {error.get('message')}")
