//! The shapes of field values, as type-level descriptions the generated glue names for each field: [`Opt`] (a
//! nullable position), [`List`], and at the bottom a leaf ([`Plain`] or [`Leaf`]) or an object or abstract marker of
//! the glue. Each shape knows how the fast executor writes such a value and how the reference executor resolves it,
//! so the glue itself stays a table of fields.

use std::future::Future;

use apollo_compiler::ast::Type;
use apollo_compiler::resolvers::AsyncResolvedValue;
use serde::Serialize;

use super::fast::{At, Complete, Completed, Exec, LeafShape};
use super::reference::{ExecContext, Resolve, Resolved};

/// A nullable position: `Option` of the inner shape's value.
#[derive(Debug)]
pub struct Opt<S>(std::marker::PhantomData<S>);

/// A list position: `Vec` of the inner shape's value.
#[derive(Debug)]
pub struct List<S>(std::marker::PhantomData<S>);

/// A boxed position (a plain field whose object type contains itself): `Box` of the inner shape's value.
#[derive(Debug)]
pub struct Boxed<S>(std::marker::PhantomData<S>);

/// A leaf whose value never serializes as null at a non-null position (strings, integers, booleans, ids, enums,
/// dates), or any leaf at a nullable position.
#[derive(Debug)]
pub struct Plain;

/// A leaf at a non-null position whose value may serialize as null (a float that is NaN, a JSON null): checked.
#[derive(Debug)]
pub struct Leaf;

impl<V: Serialize + ?Sized> LeafShape<V> for Plain {
    const LISTS: usize = 0;
    const CHECKED: bool = false;

    fn walk(ex: &mut Exec<'_>, value: &V, ty: &Type) -> Completed {
        ex.leaf_at(value, ty)
    }
}

impl<V: Serialize + ?Sized> LeafShape<V> for Leaf {
    const LISTS: usize = 0;
    const CHECKED: bool = true;

    fn walk(ex: &mut Exec<'_>, value: &V, ty: &Type) -> Completed {
        ex.leaf_at(value, ty)
    }
}

impl<V, S: LeafShape<V>> LeafShape<Option<V>> for Opt<S> {
    const LISTS: usize = S::LISTS;
    const CHECKED: bool = S::CHECKED;

    fn walk(ex: &mut Exec<'_>, value: &Option<V>, ty: &Type) -> Completed {
        match value {
            Some(value) => S::walk(ex, value, ty),
            None => ex.null_at(ty),
        }
    }
}

impl<V, S: LeafShape<V>> LeafShape<Vec<V>> for List<S> {
    const LISTS: usize = S::LISTS + 1;
    const CHECKED: bool = S::CHECKED;

    fn walk(ex: &mut Exec<'_>, value: &Vec<V>, ty: &Type) -> Completed {
        let item_ty = ty.item_type();
        let list = ex.begin_list();
        for (i, item) in value.iter().enumerate() {
            let start = ex.begin_item(i);
            let done = S::walk(ex, item, item_ty);
            if let Some(done) = ex.end_item(done, start, item_ty, list, ty) {
                return done;
            }
        }
        ex.end_list();
        Ok(())
    }
}

// Not `async fn`: its future would capture the shape `S`, which the trait's `+ 'a` does not allow.
#[allow(clippy::manual_async_fn)]
impl<V, R, S: Complete<V, R>> Complete<Option<V>, R> for Opt<S> {
    fn complete<'a, 'p>(
        ex: &'a mut Exec<'p>,
        resolvers: &'a R,
        value: &'a Option<V>,
        at: At<'p>,
    ) -> impl Future<Output = Completed> + 'a {
        async move {
            match value {
                Some(value) => S::complete(ex, resolvers, value, at).await,
                None => ex.null_at(at.ty()),
            }
        }
    }
}

#[allow(clippy::manual_async_fn)]
impl<V, R, S: Complete<V, R>> Complete<Vec<V>, R> for List<S> {
    fn complete<'a, 'p>(
        ex: &'a mut Exec<'p>,
        resolvers: &'a R,
        value: &'a Vec<V>,
        at: At<'p>,
    ) -> impl Future<Output = Completed> + 'a {
        async move {
            let item_ty = at.ty().item_type();
            let list = ex.begin_list();
            for (i, item) in value.iter().enumerate() {
                let start = ex.begin_item(i);
                let done = S::complete(ex, resolvers, item, at.with_type(item_ty)).await;
                if let Some(done) = ex.end_item(done, start, item_ty, list, at.ty()) {
                    return done;
                }
            }
            ex.end_list();
            Ok(())
        }
    }
}

impl<V, R, S: Complete<V, R>> Complete<Box<V>, R> for Boxed<S> {
    fn complete<'a, 'p>(
        ex: &'a mut Exec<'p>,
        resolvers: &'a R,
        value: &'a Box<V>,
        at: At<'p>,
    ) -> impl Future<Output = Completed> + 'a {
        S::complete(ex, resolvers, &**value, at)
    }
}

impl<V, R, S: Resolve<V, R>> Resolve<Box<V>, R> for Boxed<S> {
    fn resolve<'r>(resolvers: &'r R, ctx: &'r ExecContext, value: Box<V>) -> Resolved<'r>
    where
        Box<V>: 'r,
    {
        S::resolve(resolvers, ctx, *value)
    }
}

impl<V, R, S: Resolve<V, R>> Resolve<Option<V>, R> for Opt<S> {
    fn resolve<'r>(resolvers: &'r R, ctx: &'r ExecContext, value: Option<V>) -> Resolved<'r>
    where
        Option<V>: 'r,
    {
        match value {
            Some(value) => S::resolve(resolvers, ctx, value),
            None => Ok(AsyncResolvedValue::null()),
        }
    }
}

impl<V: Send, R: Sync, S: Resolve<V, R>> Resolve<Vec<V>, R> for List<S> {
    fn resolve<'r>(resolvers: &'r R, ctx: &'r ExecContext, value: Vec<V>) -> Resolved<'r>
    where
        Vec<V>: 'r,
    {
        let items = value
            .into_iter()
            .map(move |item| S::resolve(resolvers, ctx, item));
        Ok(AsyncResolvedValue::List(Box::pin(futures::stream::iter(
            items,
        ))))
    }
}
