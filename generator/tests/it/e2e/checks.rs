//! A plain implementation of the checks schema (`test_data/e2e/checks.graphql`): NaN floats and JSON nulls where
//! the schema says non-null, errors at every depth, interface fields narrowed by their object. Executed by the
//! differential tests (`equivalence`), which compare the fast and the reference executors on random operations.

use runtime::exec::ObjectData;
use runtime::{ErrorCode, FieldError, FieldResult, MaybeAbsent};
use serde_json::{Value, json};

pub(crate) use generated::*;

#[allow(dead_code)]
mod generated {
    include!("generated/checks.rs");
}

/// What backs `Box`: its plain fields and how deep it still goes.
#[derive(Debug, Clone)]
pub struct BoxRecord {
    data: Box,
    depth: i32,
}

impl ObjectData<Box> for BoxRecord {
    fn data(&self) -> &Box {
        &self.data
    }
}

/// Box `number`, with boxes inside it `depth` levels down; its values follow its number.
fn boxed(number: i32, depth: i32) -> BoxRecord {
    let n = number;
    BoxRecord {
        depth,
        data: Box {
            number: n,
            name: format!("box {n}"),
            values: vec![
                json!(n),
                if n % 7 == 3 {
                    Value::Null
                } else {
                    json!([n, {"k": n}])
                },
            ],
            ratio: if n % 3 == 0 {
                f64::NAN
            } else {
                f64::from(n) / 2.0
            },
            ratios: (n % 2 == 0).then(|| vec![1.5, if n % 4 == 2 { f64::NAN } else { 2.0 }]),
            maybe_ratio: match n.rem_euclid(3) {
                0 => Some(f64::NAN),
                1 => Some(0.25),
                _ => None,
            },
            json: if n % 5 == 0 {
                Value::Null
            } else {
                json!({"n": n, "list": [1, null]})
            },
        },
    }
}

fn float(n: i32) -> f64 {
    if n % 3 == 0 {
        f64::NAN
    } else {
        f64::from(n) * 1.25
    }
}

#[derive(Debug)]
pub(crate) struct Checks;

impl Resolvers for Checks {
    fn query(&self) -> &impl QueryResolvers {
        self
    }
    fn r#box(&self) -> &impl BoxResolvers {
        self
    }
}

impl BoxResolvers for Checks {
    async fn inner(&self, parent: &BoxRecord) -> FieldResult<BoxRecord> {
        if parent.depth <= 0 {
            return Err(FieldError::not_found("nothing inside")
                .with_extension("number", parent.data.number));
        }
        Ok(boxed(parent.data.number * 2 + 1, parent.depth - 1))
    }

    async fn items(&self, parent: &BoxRecord, args: BoxItemsArgs) -> FieldResult<Vec<BoxRecord>> {
        if args.fail.value() == Some(&-1) {
            return Err(FieldError::new(ErrorCode::Conflict, "no items"));
        }
        let depth = parent.depth - 1;
        Ok((0..3)
            .map(|i| boxed(parent.data.number * 3 + i, depth))
            .collect())
    }

    async fn nullable_items(
        &self,
        parent: &BoxRecord,
        args: BoxNullableItemsArgs,
    ) -> FieldResult<Option<Vec<Option<BoxRecord>>>> {
        if args.fail.value() == Some(&-1) {
            return Ok(None);
        }
        let missing = args.missing.value().copied().unwrap_or(1);
        let depth = parent.depth - 1;
        Ok(Some(
            (0..3)
                .map(|i| (i != missing).then(|| boxed(parent.data.number * 3 + i, depth)))
                .collect(),
        ))
    }

    async fn check(&self, parent: &BoxRecord, args: BoxCheckArgs) -> FieldResult<String> {
        let fail = !matches!(args.fail, MaybeAbsent::Value(false));
        if !fail {
            return Ok("ok".to_owned());
        }
        let code = match args.code {
            MaybeAbsent::Value(Code::Forbidden) => ErrorCode::Forbidden,
            MaybeAbsent::Value(Code::BadUserInput) => ErrorCode::BadUserInput,
            _ => ErrorCode::NotFound,
        };
        Err(
            FieldError::new(code, format!("box {} checked", parent.data.number))
                .with_extension("number", parent.data.number),
        )
    }
}

impl QueryResolvers for Checks {
    async fn r#box(&self, args: QueryBoxArgs) -> FieldResult<Option<BoxRecord>> {
        let depth = args.depth.value().copied().unwrap_or(0);
        Ok(match args.number {
            MaybeAbsent::Null => None,
            MaybeAbsent::Value(n) => Some(boxed(n, depth)),
            MaybeAbsent::Absent => Some(boxed(1, depth)),
        })
    }

    async fn boxes(&self, args: QueryBoxesArgs) -> FieldResult<Option<Vec<BoxRecord>>> {
        if args.count < 0 {
            return Err(
                FieldError::bad_input("a negative count").with_extension("count", args.count)
            );
        }
        let depth = args.depth.value().copied().unwrap_or(0);
        Ok((args.count != 1).then(|| {
            (0..args.count.min(4))
                .map(|i| boxed(i + 2, depth))
                .collect()
        }))
    }

    async fn thing(&self, args: QueryThingArgs) -> FieldResult<Option<Thing>> {
        Ok((args.number >= 0).then(|| Thing::Box(boxed(args.number, 1))))
    }

    async fn things(&self, args: QueryThingsArgs) -> FieldResult<Vec<Option<Thing>>> {
        Ok(args
            .numbers
            .iter()
            .map(|&n| (n >= 0).then(|| Thing::Box(boxed(n, 1))))
            .collect())
    }

    async fn floats(&self, args: QueryFloatsArgs) -> FieldResult<Vec<f64>> {
        Ok(args.numbers.iter().map(|&n| float(n)).collect())
    }

    async fn grid(&self, args: QueryGridArgs) -> FieldResult<Option<Vec<Option<Vec<f64>>>>> {
        Ok(args.rows.value().map(|rows| {
            rows.iter()
                .map(|row| {
                    row.as_ref()
                        .map(|row| row.iter().map(|&n| float(n)).collect())
                })
                .collect()
        }))
    }
}
