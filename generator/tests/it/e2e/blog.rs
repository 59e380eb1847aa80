//! A plain implementation of the blog schema's generated traits (`test_data/e2e/blog.graphql`), and operations
//! executed through the generated glue, each with the exact JSON response expected.

use std::sync::LazyLock;

use runtime::engine::{Engine, Limits};
use runtime::exec::ObjectData;
use runtime::response::{JsonMap, Response};
use runtime::{ErrorCode, FieldError, FieldResult, MaybeAbsent};
use serde_json::{Value, json};

use generated::*;

#[allow(dead_code)]
pub(crate) mod generated {
    include!("generated/blog.rs");
}

/// What backs `Author` (bound with `Config::bind`): the public fields, and the post ids the schema does not show.
#[derive(Debug, Clone)]
pub struct AuthorRecord {
    author: Author,
    post_ids: Vec<&'static str>,
}

impl ObjectData<Author> for AuthorRecord {
    fn data(&self) -> &Author {
        &self.author
    }
}

#[derive(Debug)]
pub(crate) struct Blog {
    posts: Vec<Post>,
    authors: Vec<AuthorRecord>,
    /// Post id → author id.
    written_by: Vec<(&'static str, &'static str)>,
}

pub(crate) fn blog() -> Blog {
    let post = |id: &str, title: &str, published: Option<&str>, tags: &[&str]| Post {
        id: id.into(),
        title: title.to_owned(),
        published: published.map(|d| d.parse().unwrap()),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    };
    let author = |id: &str, name: &str, post_ids: Vec<&'static str>| AuthorRecord {
        author: Author {
            id: id.into(),
            name: name.to_owned(),
        },
        post_ids,
    };
    Blog {
        posts: vec![
            post("p1", "Hello", Some("2024-01-02"), &["intro", "news"]),
            post("p2", "Help wanted", None, &[]),
            post("p3", "Other", Some("2024-03-04"), &["misc"]),
        ],
        authors: vec![
            author("a1", "Ada", vec!["p1", "p2"]),
            author("a2", "Brian", vec!["p3"]),
        ],
        written_by: vec![("p1", "a1"), ("p2", "a1"), ("p3", "a2")],
    }
}

/// Comments of every post: `c2` is hidden.
fn comments() -> Vec<Comment> {
    ["c1", "c2", "c3"]
        .iter()
        .map(|id| Comment { id: (*id).into() })
        .collect()
}

impl Blog {
    fn post(&self, id: &str) -> Option<Post> {
        self.posts.iter().find(|p| p.id.as_str() == id).cloned()
    }

    fn author(&self, id: &str) -> Option<AuthorRecord> {
        self.authors
            .iter()
            .find(|a| a.author.id.as_str() == id)
            .cloned()
    }
}

/// How an argument arrived.
fn seen<T: std::fmt::Debug>(value: &MaybeAbsent<T>) -> String {
    match value {
        MaybeAbsent::Absent => "absent".to_owned(),
        MaybeAbsent::Null => "null".to_owned(),
        MaybeAbsent::Value(v) => format!("{v:?}"),
    }
}

fn seen_filter(filter: &MaybeAbsent<PostFilter>) -> String {
    match filter {
        MaybeAbsent::Value(f) => format!(
            "{{title: {}, tag: {}, nested: {}}}",
            seen(&f.title),
            seen(&f.tag),
            seen_filter(&f.nested.as_ref().map_value(|b| (**b).clone()))
        ),
        other => seen(other),
    }
}

trait MapValue<T> {
    fn map_value<U>(self, f: impl FnOnce(T) -> U) -> MaybeAbsent<U>;
}

impl<T> MapValue<T> for MaybeAbsent<T> {
    fn map_value<U>(self, f: impl FnOnce(T) -> U) -> MaybeAbsent<U> {
        match self {
            MaybeAbsent::Absent => MaybeAbsent::Absent,
            MaybeAbsent::Null => MaybeAbsent::Null,
            MaybeAbsent::Value(v) => MaybeAbsent::Value(f(v)),
        }
    }
}

impl Resolvers for Blog {
    fn query(&self) -> &impl QueryResolvers {
        self
    }
    fn mutation(&self) -> &impl MutationResolvers {
        self
    }
    fn author(&self) -> &impl AuthorResolvers {
        self
    }
    fn comment(&self) -> &impl CommentResolvers {
        self
    }
    fn post(&self) -> &impl PostResolvers {
        self
    }
}

impl QueryResolvers for Blog {
    async fn post(&self, args: QueryPostArgs) -> FieldResult<Option<Post>> {
        Ok(self.post(args.id.as_str()))
    }

    async fn posts(&self, args: QueryPostsArgs) -> FieldResult<Vec<Post>> {
        let limit = args.limit.value().copied().unwrap_or(10) as usize;
        let filter = args.filter.value().cloned().unwrap_or_default();
        Ok(self
            .posts
            .iter()
            .filter(|p| filter.title.value().is_none_or(|t| p.title.contains(t)))
            .filter(|p| filter.tag.value().is_none_or(|t| p.tags.contains(t)))
            .take(limit)
            .cloned()
            .collect())
    }

    async fn node(&self, args: QueryNodeArgs) -> FieldResult<Option<Node>> {
        let id = args.id.as_str();
        Ok(self
            .post(id)
            .map(Node::Post)
            .or_else(|| self.author(id).map(Node::Author)))
    }

    async fn search(&self, args: QuerySearchArgs) -> FieldResult<Vec<SearchResult>> {
        let posts = self
            .posts
            .iter()
            .filter(|p| p.title.contains(&args.text))
            .cloned()
            .map(SearchResult::Post);
        let authors = self
            .authors
            .iter()
            .filter(|a| a.author.name.contains(&args.text))
            .cloned()
            .map(SearchResult::Author);
        Ok(posts.chain(authors).collect())
    }

    async fn seen(&self, args: QuerySeenArgs) -> FieldResult<Seen> {
        Ok(Seen {
            title: seen(&args.title),
            tag: seen(&args.tag),
            nested: seen_filter(&args.filter),
        })
    }

    async fn published_on(&self, args: QueryPublishedOnArgs) -> FieldResult<Option<Vec<Post>>> {
        Ok(Some(
            self.posts
                .iter()
                .filter(|p| p.published == Some(args.date))
                .cloned()
                .collect(),
        ))
    }

    async fn broken(&self) -> FieldResult<Option<i32>> {
        Err(FieldError::new(ErrorCode::RateLimited, "slow down")
            .with_extension("limit", 100)
            .with_extension("remaining", 0))
    }

    async fn fatal(&self) -> FieldResult<i32> {
        Err(FieldError::new(
            ErrorCode::Internal,
            "the fatal field failed",
        ))
    }

    async fn settings(&self) -> FieldResult<Option<Json>> {
        Ok(Some(json!([1, {"a": [2]}])))
    }

    async fn settings_list(&self) -> FieldResult<Vec<Option<Json>>> {
        Ok(vec![Some(json!([1, 2])), None, Some(json!("x"))])
    }
}

impl PostResolvers for Blog {
    async fn author(&self, parent: &Post) -> FieldResult<AuthorRecord> {
        let (_, author) = self
            .written_by
            .iter()
            .find(|(post, _)| *post == parent.id.as_str())
            .ok_or_else(|| FieldError::not_found("no author"))?;
        self.author(author)
            .ok_or_else(|| FieldError::not_found("no author"))
    }

    async fn comments(&self, _parent: &Post, args: PostCommentsArgs) -> FieldResult<Vec<Comment>> {
        let first = args.first.value().copied().unwrap_or(2) as usize;
        let after = args.after.value().copied().unwrap_or(0) as usize;
        Ok(comments().into_iter().skip(after).take(first).collect())
    }
}

impl AuthorResolvers for Blog {
    async fn posts(&self, parent: &AuthorRecord, args: AuthorPostsArgs) -> FieldResult<Vec<Post>> {
        Ok(parent
            .post_ids
            .iter()
            .filter_map(|id| self.post(id))
            .filter(|p| {
                args.title_prefix
                    .value()
                    .is_none_or(|t| p.title.starts_with(t))
            })
            .collect())
    }
}

impl CommentResolvers for Blog {
    async fn body(&self, parent: &Comment, args: CommentBodyArgs) -> FieldResult<String> {
        if parent.id.as_str() == "c2" {
            return Err(
                FieldError::not_found("comment c2 is hidden").with_extension("comment", "c2")
            );
        }
        let body = format!("Body of {}", parent.id);
        Ok(match args.max_length.value() {
            Some(&n) => body.chars().take(n as usize).collect(),
            None => body,
        })
    }

    async fn note(&self, parent: &Comment, _args: CommentNoteArgs) -> FieldResult<Option<String>> {
        if parent.id.as_str() == "c2" {
            return Err(FieldError::new(
                ErrorCode::Forbidden,
                "notes of c2 are private",
            ));
        }
        Ok(Some(format!("note {}", parent.id)))
    }
}

impl MutationResolvers for Blog {
    async fn update_post(&self, args: MutationUpdatePostArgs) -> FieldResult<Post> {
        let mut post = self
            .post(args.id.as_str())
            .ok_or_else(|| FieldError::not_found(format!("no post `{}`", args.id)))?;
        let patch = args.patch;
        match patch.title {
            MaybeAbsent::Absent => {}
            MaybeAbsent::Null => {
                return Err(FieldError::bad_input("a post's title cannot be removed")
                    .with_extension("field", "title"));
            }
            MaybeAbsent::Value(title) => post.title = title,
        }
        if let Some(published) = patch.published.into_update() {
            post.published = published;
        }
        if let Some(tags) = patch.tags.into_update() {
            post.tags = tags.unwrap_or_default();
        }
        Ok(post)
    }
}

static ENGINE: LazyLock<Engine> = LazyLock::new(|| engine(Limits::default()));

/// Prepares and executes `query` with `variables` against the blog, as the JSON of the generic rendering.
fn run(query: &str, variables: Value) -> Value {
    let variables: JsonMap = serde_json::from_value(variables).unwrap();
    let response = match ENGINE.prepare(query) {
        Ok(prepared) => {
            futures::executor::block_on(execute(&blog(), &ENGINE, &prepared, None, &variables))
        }
        Err(errors) => Response { data: None, errors },
    };
    serde_json::to_value(&response).unwrap()
}

#[track_caller]
fn check(query: &str, variables: Value, expected: Value) {
    let actual = run(query, variables);
    assert_eq!(
        actual,
        expected,
        "\nactual:\n{}",
        serde_json::to_string_pretty(&actual).unwrap()
    );
}

#[test]
fn nested_arguments_and_aliases() {
    check(
        r#"{
          first: post(id: "p1") {
            title
            published
            tags
            comments(first: 1, after: 2) { id body(maxLength: 6) }
            author { name posts(titlePrefix: "Help") { id title } }
          }
          second: post(id: "p2") { headline: title published tags }
          missing: post(id: "nope") { id }
        }"#,
        json!({}),
        json!({
            "data": {
                "first": {
                    "title": "Hello",
                    "published": "2024-01-02",
                    "tags": ["intro", "news"],
                    "comments": [{"id": "c3", "body": "Body o"}],
                    "author": {"name": "Ada", "posts": [{"id": "p2", "title": "Help wanted"}]}
                },
                "second": {"headline": "Help wanted", "published": null, "tags": []},
                "missing": null
            }
        }),
    );
}

#[test]
fn fragments_on_interfaces_and_unions() {
    check(
        r#"
        query {
          node(id: "a2") { __typename ...NodeId ... on Author { name } }
          post: node(id: "p3") { ...NodeId ... on Post { title } ... on Author { name } }
          search(text: "r") {
            __typename
            ... on Post { title author { ...AuthorName } }
            ...AuthorName
          }
        }
        fragment NodeId on Node { id }
        fragment AuthorName on Author { name }
        "#,
        json!({}),
        json!({
            "data": {
                "node": {"__typename": "Author", "id": "a2", "name": "Brian"},
                "post": {"id": "p3", "title": "Other"},
                "search": [
                    {"__typename": "Post", "title": "Other", "author": {"name": "Brian"}},
                    {"__typename": "Author", "name": "Brian"}
                ]
            }
        }),
    );
}

#[test]
fn variables_and_defaults() {
    check(
        r#"query Posts($tag: String, $limit: Int, $id: ID!) {
          posts(filter: {tag: $tag}, limit: $limit) { id }
          all: posts { id }
          post(id: $id) { comments { id } }
        }"#,
        json!({"tag": "misc", "id": "p1"}),
        json!({
            "data": {
                "posts": [{"id": "p3"}],
                "all": [{"id": "p1"}, {"id": "p2"}, {"id": "p3"}],
                "post": {"comments": [{"id": "c1"}, {"id": "c2"}]}
            }
        }),
    );
}

/// Absent, null and a value stay apart for nullable arguments and input fields, given as literals.
#[test]
fn absent_null_and_value_through_literals() {
    check(
        r#"{
          none: seen { title tag nested }
          nulls: seen(title: null, tag: null, filter: null) { title tag nested }
          values: seen(title: "t", filter: {title: "x", tag: null, nested: {tag: "y"}}) { title tag nested }
        }"#,
        json!({}),
        json!({
            "data": {
                "none": {"title": "absent", "tag": "absent", "nested": "absent"},
                "nulls": {"title": "null", "tag": "null", "nested": "null"},
                "values": {
                    "title": "\"t\"",
                    "tag": "absent",
                    "nested": "{title: \"x\", tag: null, nested: {title: absent, tag: \"y\", nested: absent}}"
                }
            }
        }),
    );
}

/// The same through variables: a variable not provided leaves its argument or input field absent, one provided as
/// null makes it null (apollo-compiler 2.0.0-beta.2 keeps these apart; 1.33 did not).
#[test]
fn absent_null_and_value_through_variables() {
    let query = r#"query Seen($title: String, $tag: String, $filter: PostFilter, $inner: String) {
      direct: seen(title: $title, tag: $tag, filter: $filter) { title tag nested }
      inner: seen(filter: {title: $inner, tag: $tag}) { nested }
    }"#;
    check(
        query,
        json!({}),
        json!({
            "data": {
                "direct": {"title": "absent", "tag": "absent", "nested": "absent"},
                "inner": {"nested": "{title: absent, tag: absent, nested: absent}"}
            }
        }),
    );
    check(
        query,
        json!({"title": null, "tag": null, "filter": null, "inner": null}),
        json!({
            "data": {
                "direct": {"title": "null", "tag": "null", "nested": "null"},
                "inner": {"nested": "{title: null, tag: null, nested: absent}"}
            }
        }),
    );
    check(
        query,
        json!({"title": "t", "filter": {"tag": null, "nested": {"title": "n"}}, "inner": "i"}),
        json!({
            "data": {
                "direct": {
                    "title": "\"t\"",
                    "tag": "absent",
                    "nested": "{title: absent, tag: null, nested: {title: \"n\", tag: absent, nested: absent}}"
                },
                "inner": {"nested": "{title: \"i\", tag: absent, nested: absent}"}
            }
        }),
    );
}

/// A mutation applies only the fields it is given: absent leaves a field alone, null clears it.
#[test]
fn update_applies_only_given_fields() {
    check(
        r#"mutation {
          kept: updatePost(id: "p1", patch: {}) { title published tags }
          cleared: updatePost(id: "p1", patch: {published: null, tags: null}) { title published tags }
          set: updatePost(id: "p2", patch: {title: "New", published: "2025-05-06"}) { title published tags }
        }"#,
        json!({}),
        json!({
            "data": {
                "kept": {"title": "Hello", "published": "2024-01-02", "tags": ["intro", "news"]},
                "cleared": {"title": "Hello", "published": null, "tags": []},
                "set": {"title": "New", "published": "2025-05-06", "tags": []}
            }
        }),
    );
    check(
        r#"mutation Update($patch: PostPatch!) { updatePost(id: "p1", patch: $patch) { title published } }"#,
        json!({"patch": {"published": null}}),
        json!({"data": {"updatePost": {"title": "Hello", "published": null}}}),
    );
}

/// A resolver's error keeps its code and extensions, and gains the field's location and path (with list indices).
#[test]
fn field_errors_with_codes_locations_and_paths() {
    check(
        "{\n  broken\n  post(id: \"p1\") { comments(first: 3) { id note } }\n}",
        json!({}),
        json!({
            "errors": [
                {
                    "message": "slow down",
                    "locations": [{"line": 2, "column": 3}],
                    "path": ["broken"],
                    "extensions": {"limit": 100, "remaining": 0, "code": "RATE_LIMITED"}
                },
                {
                    "message": "notes of c2 are private",
                    "locations": [{"line": 3, "column": 44}],
                    "path": ["post", "comments", 1, "note"],
                    "extensions": {"code": "FORBIDDEN"}
                }
            ],
            "data": {
                "broken": null,
                "post": {"comments": [
                    {"id": "c1", "note": "note c1"},
                    {"id": "c2", "note": null},
                    {"id": "c3", "note": "note c3"}
                ]}
            }
        }),
    );
    check(
        r#"mutation { updatePost(id: "p1", patch: {title: null}) { id } }"#,
        json!({}),
        json!({
            "errors": [{
                "message": "a post's title cannot be removed",
                "locations": [{"line": 1, "column": 12}],
                "path": ["updatePost"],
                "extensions": {"field": "title", "code": "BAD_USER_INPUT"}
            }],
            "data": null
        }),
    );
}

/// An error in a non-null field nulls the nearest nullable parent: the hidden comment's `body` nulls the comment,
/// the (non-null) list, and so the post; a failing non-null root field nulls `data`.
#[test]
fn null_propagation_through_non_null_fields() {
    check(
        r#"{ post(id: "p1") { title comments { id body } } posts(limit: 1) { id } }"#,
        json!({}),
        json!({
            "errors": [{
                "message": "comment c2 is hidden",
                "locations": [{"line": 1, "column": 40}],
                "path": ["post", "comments", 1, "body"],
                "extensions": {"comment": "c2", "code": "NOT_FOUND"}
            }],
            "data": {"post": null, "posts": [{"id": "p1"}]}
        }),
    );
    check(
        "{ posts { id } fatal }",
        json!({}),
        json!({
            "errors": [{
                "message": "the fatal field failed",
                "locations": [{"line": 1, "column": 16}],
                "path": ["fatal"],
                "extensions": {"code": "INTERNAL"}
            }],
            "data": null
        }),
    );
}

/// `Author` is bound to `AuthorRecord`: its plain fields come through `ObjectData`, its resolvers read the ids the
/// schema does not show.
#[test]
fn bound_type_resolvers_read_hidden_data() {
    check(
        r#"{ node(id: "a1") { ... on Author { id name posts { id } } } post(id: "p3") { author { id posts { title } } } }"#,
        json!({}),
        json!({
            "data": {
                "node": {"id": "a1", "name": "Ada", "posts": [{"id": "p1"}, {"id": "p2"}]},
                "post": {"author": {"id": "a2", "posts": [{"title": "Other"}]}}
            }
        }),
    );
}

#[test]
fn introspection() {
    check(
        r#"{
          __typename
          post(id: "p1") { __typename author { __typename } }
          __schema { queryType { name } mutationType { name } subscriptionType { name } }
          __type(name: "PostPatch") { kind inputFields { name type { name kind } } }
          search: __type(name: "SearchResult") { possibleTypes { name } }
        }"#,
        json!({}),
        json!({
            "data": {
                "__typename": "Query",
                "post": {"__typename": "Post", "author": {"__typename": "Author"}},
                "__schema": {
                    "queryType": {"name": "Query"},
                    "mutationType": {"name": "Mutation"},
                    "subscriptionType": null
                },
                "__type": {
                    "kind": "INPUT_OBJECT",
                    "inputFields": [
                        {"name": "title", "type": {"name": "String", "kind": "SCALAR"}},
                        {"name": "published", "type": {"name": "Date", "kind": "SCALAR"}},
                        {"name": "tags", "type": {"name": null, "kind": "LIST"}}
                    ]
                },
                "search": {"possibleTypes": [{"name": "Post"}, {"name": "Author"}]}
            }
        }),
    );
}

/// A custom scalar's value that its Rust type rejects (an invalid `Date`) is the client's fault: `BAD_USER_INPUT`,
/// from a literal or a variable.
#[test]
fn bad_custom_scalar_argument_is_bad_user_input() {
    check(
        r#"{ good: publishedOn(date: "2024-03-04") { id } bad: publishedOn(date: "2024-13-45") { id } }"#,
        json!({}),
        json!({
            // The location is that of the field's name, after its alias (graphql-js points at the alias).
            "errors": [{
                "message": "invalid argument of `publishedOn`: input is out of range",
                "locations": [{"line": 1, "column": 53}],
                "path": ["bad"],
                "extensions": {"code": "BAD_USER_INPUT"}
            }],
            "data": {"good": [{"id": "p3"}], "bad": null}
        }),
    );
    check(
        r#"query On($date: Date!) { publishedOn(date: $date) { id } }"#,
        json!({"date": "yesterday"}),
        json!({
            "errors": [{
                "message": "invalid argument of `publishedOn`: input contains invalid characters",
                "locations": [{"line": 1, "column": 26}],
                "path": ["publishedOn"],
                "extensions": {"code": "BAD_USER_INPUT"}
            }],
            "data": {"publishedOn": null}
        }),
    );
}

/// Documents that do not parse or validate never execute: every problem is reported, with no `data`.
#[test]
fn invalid_documents_are_request_errors() {
    check(
        "{ post(id: 1) { nope } }",
        json!({}),
        json!({
            "errors": [{
                "message": "Cannot query field \"nope\" on type \"Post\".",
                "locations": [{"line": 1, "column": 17}],
                "extensions": {"code": "VALIDATION_FAILED"}
            }]
        }),
    );
}

/// A custom scalar mapped to `serde_json::Value` stays one value even when it is an array; only GraphQL list types
/// become lists.
#[test]
fn json_scalars_holding_arrays_are_values() {
    check(
        "{ settings settingsList }",
        json!({}),
        json!({"data": {"settings": [1, {"a": [2]}], "settingsList": [[1, 2], null, "x"]}}),
    );
}
