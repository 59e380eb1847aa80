//! Lists at every nesting, of leaves (through the glue's JSON path) and of objects, executed through the glue of
//! `test_data/lists.graphql`.

use runtime::FieldResult;
use runtime::engine::Limits;
use runtime::response::{JsonMap, Response};
use serde_json::json;

use super::compiled::lists::*;

pub(crate) struct Lists;

impl Resolvers for Lists {
    fn query(&self) -> &impl QueryResolvers {
        self
    }
}

impl QueryResolvers for Lists {
    async fn a(&self) -> FieldResult<Option<Vec<Option<i32>>>> {
        Ok(Some(vec![Some(1), None]))
    }
    async fn b(&self) -> FieldResult<Option<Vec<i32>>> {
        Ok(None)
    }
    async fn c(&self) -> FieldResult<Vec<Option<i32>>> {
        Ok(vec![])
    }
    async fn d(&self) -> FieldResult<Vec<i32>> {
        Ok(vec![4])
    }
    async fn e(&self) -> FieldResult<Vec<Option<Vec<i32>>>> {
        Ok(vec![Some(vec![1, 2]), None, Some(vec![])])
    }
    async fn f(&self) -> FieldResult<Option<Vec<Vec<Option<i32>>>>> {
        Ok(Some(vec![vec![None, Some(6)]]))
    }
    async fn g(&self) -> FieldResult<Option<Vec<Option<Vec<Option<Vec<Option<String>>>>>>>> {
        Ok(Some(vec![
            Some(vec![Some(vec![Some("x".to_owned()), None]), None]),
            None,
        ]))
    }
    async fn h(&self) -> FieldResult<Vec<Vec<i32>>> {
        Ok(vec![vec![], vec![8]])
    }
    async fn points(&self) -> FieldResult<Vec<Option<Vec<Point>>>> {
        let point = Point {
            x: 1,
            tags: Some(vec!["t".to_owned()]),
            matrix: vec![Some(vec![Some(0.5), None]), None],
        };
        Ok(vec![Some(vec![point]), None])
    }
    async fn grid(&self, args: QueryGridArgs) -> FieldResult<Option<Vec<Option<Point>>>> {
        let x = args.rows.iter().flatten().flatten().sum();
        Ok(Some(vec![
            Some(Point {
                x,
                tags: None,
                matrix: vec![],
            }),
            None,
        ]))
    }
}

#[test]
fn lists_at_every_nesting() {
    let engine = engine(Limits::default());
    let prepared = engine
        .prepare("{ a b c d e f g h points { x tags matrix } grid(rows: [[1, 2], null, [3]]) { x tags matrix } }")
        .unwrap();
    let response: Response =
        futures::executor::block_on(execute(&Lists, &engine, &prepared, None, &JsonMap::new()));
    assert_eq!(
        serde_json::to_value(&response).unwrap(),
        json!({
            "data": {
                "a": [1, null],
                "b": null,
                "c": [],
                "d": [4],
                "e": [[1, 2], null, []],
                "f": [[null, 6]],
                "g": [[["x", null], null], null],
                "h": [[], [8]],
                "points": [[{"x": 1, "tags": ["t"], "matrix": [[0.5, null], null]}], null],
                "grid": [{"x": 6, "tags": null, "matrix": []}, null]
            }
        })
    );
}
