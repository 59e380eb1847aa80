//! Internals a response must not show, in the forms servers written in any language leak them: a source file with a
//! line number, an absolute server path, a stack frame of Rust, Python, Ruby, Node, Java or Go, an exception object.
//! Every string of a JSON body is searched (unescaped), so a frame appended to an otherwise correct message is found.
//! Every response a case receives is searched (E4 holds for all of them), except what the request itself sent.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

/// What each pattern betrays, and the pattern.
static PATTERNS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    [
        (
            "a source file with a line number",
            r#"[\w.-]+\.(?:rs|py|rb|js|mjs|cjs|ts|jsx|tsx|java|kt|scala|go|php|cs|exs?|cpp|cc|swift|clj)(?::\d+|"?, line \d+)"#,
        ),
        (
            "an absolute server path",
            r#"(?:^|[\s"'(=\[])(?:/(?:home|root|usr|var|srv|opt|app|etc|tmp|src|go|build|workspace|Users|rustc|cargo)/|[A-Za-z]:\\)[\w.$-]"#,
        ),
        ("a Python traceback", r"Traceback \(most recent call last\)|Traceback:|\bFile .+, line \d+"),
        ("a Ruby stack frame", r":\d+:in [`']"),
        (
            "a Node stack frame",
            r"\bat (?:[\w$.<>\[\] ]+ )?\((?:/|file:|node:|internal/)|at Object\.<anonymous>",
        ),
        (
            "a Java stack frame",
            r"\bat [\w$]+(?:\.[\w$<>]+)+\((?:[\w$]+\.(?:java|kt|scala)(?::\d+)?|Native Method|Unknown Source)\)",
        ),
        ("a Go panic or goroutine dump", r"goroutine \d+ \[[\w ,]+\]:|\bpanic: |\+0x[0-9a-f]+\b"),
        ("a Rust panic", r"panicked at|stack backtrace|RUST_BACKTRACE|thread '[^']*' panicked"),
        ("an exception", r"\b\w*Exception\b|NullPointer|SQLSTATE|resolver error"),
    ]
    .into_iter()
    .map(|(what, pattern)| (what, Regex::new(pattern).expect("the leak patterns are valid")))
    .collect()
});

/// The first internal detail in `text` that `echoed` does not excuse: what it is, and the text that shows it.
pub fn find_in_text(text: &str, echoed: &dyn Fn(&str) -> bool) -> Option<(&'static str, String)> {
    PATTERNS.iter().find_map(|(what, re)| {
        re.find_iter(text)
            .map(|m| m.as_str().trim().to_owned())
            .find(|shown| !echoed(shown))
            .map(|shown| (*what, shown))
    })
}

/// The first internal detail in a response: in its JSON strings (and keys such as `exception` or `stacktrace`) when
/// the body is JSON, in its text otherwise. Text the request itself sent (`echoed`) is the client's, not a leak: a
/// server may quote a bad argument back.
pub fn find(body: &str, json: Option<&Value>, echoed: &dyn Fn(&str) -> bool) -> Option<String> {
    match json {
        Some(json) => find_in_value(json, "body", echoed),
        None => find_in_text(body, echoed).map(|(what, shown)| format!("{what} (`{shown}`)")),
    }
}

fn find_in_value(value: &Value, at: &str, echoed: &dyn Fn(&str) -> bool) -> Option<String> {
    match value {
        Value::String(s) => {
            find_in_text(s, echoed).map(|(what, shown)| format!("{what} in `{at}` (`{shown}`)"))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_in_value(v, &format!("{at}[{i}]"), echoed)),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let key = k.to_ascii_lowercase();
            if [
                "exception",
                "stacktrace",
                "stack_trace",
                "backtrace",
                "trace",
            ]
            .contains(&key.as_str())
                && !echoed(k)
            {
                return Some(format!("an exception or stack trace in `{at}.{k}`"));
            }
            find_in_value(v, &format!("{at}.{k}"), echoed)
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_of_every_language_are_found_and_plain_messages_are_not() {
        let leaky = [
            "Unable to find Employee with id 9\nTraceback:\n  File \"/srv/app/hr/resolvers.py\", line 88, in resolve",
            "Not found (/var/www/app/graphql/types/query_type.rb:42:in 'block in <class:QueryType>')",
            "Not found\n    at resolveField (/app/node_modules/graphql/execution/execute.js:464:18)",
            "Not found\n\tat com.example.hr.EmployeeResolver.get(EmployeeResolver.java:57)",
            "Not found\ngoroutine 17 [running]:\nmain.(*Resolver).Employee()\n\t/opt/hr/resolver.go:88 +0x1d",
            "thread 'tokio-runtime-worker' panicked at src/main.rs:10:5",
            "could not open C:\\inetpub\\hr\\web.config",
            "java.lang.NullPointerException",
        ];
        for text in leaky {
            assert!(
                find_in_text(text, &|_| false).is_some(),
                "not found in {text:?}"
            );
        }
        let clean = [
            "Unable to find Employee with id 100000000",
            "the body is not valid JSON: expected value at line 1 column 1",
            "`after` is not a valid cursor for the `departments` connection: \"abc\". Use a `cursor`.",
            "Method not allowed: this path serves GET, HEAD, PUT",
            "http://127.0.0.1:8080/workable/spi/v3/accounts/acme/members?limit=2",
            "Query has a complexity score of 2600, which exceeds the maximum of 2500.",
            "The last admin of the account must keep the admin role",
        ];
        for text in clean {
            assert_eq!(
                find_in_text(text, &|_| false),
                None,
                "a false alarm in {text:?}"
            );
        }
    }

    #[test]
    fn what_the_request_sent_is_not_a_leak() {
        let body = serde_json::json!({"errors": [{"message": "No company named \"/tmp/x.py:3\""}]});
        let request = r#"{"query":"{ searchCompany(name: \"/tmp/x.py:3\") { id } }"}"#;
        assert_eq!(
            find("", Some(&body), &|shown| request.contains(shown)),
            None
        );
        assert!(find("", Some(&body), &|_| false).is_some());
    }
}
