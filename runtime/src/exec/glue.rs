//! What the generated glue is made of: [`ObjectData`] (how an object's plain fields are read from its backing
//! value) and the macros the generator invokes with a compact table per object type and per interface or union,
//! which expand, when the user's crate compiles, into the marker types that both executors drive.

use serde::Serialize;

use super::fast::LeafShape;
use super::reference::{ExecContext, Resolved};

/// How the glue reads the plain (leaf) fields of an object from the value that backs it. Every generated struct
/// backs itself; a type bound with `Config::bind` implements this for the struct of the GraphQL type it backs.
pub trait ObjectData<T> {
    fn data(&self) -> &T;
}

impl<T> ObjectData<T> for T {
    fn data(&self) -> &T {
        self
    }
}

/// A leaf value of shape `S` for the reference executor.
#[doc(hidden)]
pub fn leaf_shaped<'a, S: LeafShape<V>, V: Serialize + ?Sized>(
    ctx: &ExecContext,
    value: &V,
) -> Resolved<'a> {
    super::reference::leaf(ctx, value, S::LISTS)
}

/// The glue of one object type: a marker type `$marker` implementing `Object`, `Complete` and `Resolve` for the
/// resolvers `R: $resolvers`, from a table of its fields (`index "name" kind(...)`, indices as in `TABLE`):
///
/// - `data(ident, Shape)`: a plain leaf field, read from the object's data struct `$data`;
/// - `nested(ident, Shape)`: a plain field of object, interface or union type, held by `$data` and completed;
/// - `leaf(accessor, Trait, method, parent | root, (Args)?, Shape)`: a resolver returning a leaf, a method of the
///   trait `Trait` of the value that `Resolvers::accessor` returns;
/// - `object(accessor, Trait, method, parent | root, (Args)?, Shape)`: a resolver returning objects.
#[doc(hidden)]
#[macro_export]
macro_rules! glue_object {
    (
        $marker:ident = $id:literal $name:literal: $value:ty $(=> $data:ty)?, $resolvers:path {
            $( $index:literal $field:literal $kind:ident ( $($spec:tt)* ) )*
        }
    ) => {
        pub(super) enum $marker {}

        impl $marker {
            pub(super) const TABLE: $crate::exec::ObjectTable =
                $crate::exec::ObjectTable { name: $name, fields: &[$($field),*] };
        }

        impl<R: $resolvers> $crate::exec::Object<R> for $marker {
            type Value = $value;
            const NAME: &'static str = $name;
            const ID: u16 = $id;

            fn run<'a, 'p>(
                ex: &'a mut $crate::exec::Exec<'p>,
                resolvers: &'a R,
                value: &'a $value,
                set: &'p $crate::exec::SelectionSet,
            ) -> $crate::futures::future::LocalBoxFuture<'a, $crate::exec::Completed> {
                ::std::boxed::Box::pin(async move {
                    let _ = (&resolvers, &value);
                    $(let data: &$data = <$value as $crate::exec::ObjectData<$data>>::data(value);)?
                    ex.open();
                    for field in set.fields() {
                        ex.enter(field);
                        let done = match field.index() {
                            $($index => $crate::__glue_fast!(
                                [ex resolvers value data field R $resolvers] $kind($($spec)*)
                            ),)*
                            _ => ex.typename($name),
                        };
                        ex.leave(done)?;
                    }
                    ex.close();
                    ::std::result::Result::Ok(())
                })
            }

            fn resolve_field<'a>(
                object: &'a $crate::exec::Wrapped<'_, Self, R>,
                info: &'a $crate::apollo_compiler::resolvers::ResolveInfo<'a>,
            ) -> $crate::futures::future::BoxFuture<'a, $crate::exec::Resolved<'a>> {
                ::std::boxed::Box::pin(async move {
                    $(let data: &$data =
                        <$value as $crate::exec::ObjectData<$data>>::data(&object.value);)?
                    match info.field_name() {
                        $($field => $crate::__glue_reference!(
                            [object info data R $resolvers] $kind($($spec)*)
                        ),)*
                        _ => ::std::result::Result::Err(
                            $crate::apollo_compiler::resolvers::AsyncObjectValue::unknown_field_error(
                                object, info,
                            ),
                        ),
                    }
                })
            }
        }

        impl<R: $resolvers> $crate::exec::Complete<$value, R> for $marker {
            fn complete<'a, 'p>(
                ex: &'a mut $crate::exec::Exec<'p>,
                resolvers: &'a R,
                value: &'a $value,
                at: $crate::exec::At<'p>,
            ) -> impl ::std::future::Future<Output = $crate::exec::Completed> + 'a {
                <Self as $crate::exec::Object<R>>::run(ex, resolvers, value, at.selection_set($id))
            }
        }

        impl<R: $resolvers> $crate::exec::Resolve<$value, R> for $marker {
            fn resolve<'r>(
                resolvers: &'r R,
                ctx: &'r $crate::exec::ExecContext,
                value: $value,
            ) -> $crate::exec::Resolved<'r>
            where
                $value: 'r,
            {
                ::std::result::Result::Ok($crate::apollo_compiler::resolvers::AsyncResolvedValue::object(
                    $crate::exec::Wrapped::<Self, R>::new(resolvers, ctx, value),
                ))
            }
        }
    };
}

/// The glue of one interface or union: a marker type completing and resolving the enum `$enum` by its variants'
/// object markers (`Enum::Variant => Marker`).
#[doc(hidden)]
#[macro_export]
macro_rules! glue_abstract {
    (
        $marker:ident: $enum:ty, $resolvers:path { $($variant:path => $target:ident),* $(,)? }
    ) => {
        pub(super) enum $marker {}

        impl<R: $resolvers> $crate::exec::Complete<$enum, R> for $marker {
            fn complete<'a, 'p>(
                ex: &'a mut $crate::exec::Exec<'p>,
                resolvers: &'a R,
                value: &'a $enum,
                at: $crate::exec::At<'p>,
            ) -> impl ::std::future::Future<Output = $crate::exec::Completed> + 'a {
                async move {
                    let _ = (&ex, &resolvers, &at);
                    match *value {
                        $($variant(ref value) => {
                            <$target as $crate::exec::Complete<_, R>>::complete(ex, resolvers, value, at).await
                        })*
                    }
                }
            }
        }

        impl<R: $resolvers> $crate::exec::Resolve<$enum, R> for $marker {
            fn resolve<'r>(
                resolvers: &'r R,
                ctx: &'r $crate::exec::ExecContext,
                value: $enum,
            ) -> $crate::exec::Resolved<'r>
            where
                $enum: 'r,
            {
                let _ = (&resolvers, &ctx);
                match value {
                    $($variant(value) => {
                        <$target as $crate::exec::Resolve<_, R>>::resolve(resolvers, ctx, value)
                    })*
                }
            }
        }
    };
}

/// One field of [`glue_object!`] for the fast executor.
#[doc(hidden)]
#[macro_export]
macro_rules! __glue_fast {
    ([$ex:ident $r:ident $value:ident $data:ident $field:ident $R:ident $root:path]
        data($ident:ident, $shape:ty)) => {
        $ex.leaf::<$shape, _>($field, &$data.$ident)
    };
    ([$ex:ident $r:ident $value:ident $data:ident $field:ident $R:ident $root:path]
        nested($ident:ident, $shape:ty)) => {
        $ex.complete_value::<$shape, _, $R>($field, $r, &$data.$ident).await
    };
    ([$ex:ident $r:ident $value:ident $data:ident $field:ident $R:ident $root:path]
        $kind:ident($accessor:ident, $trait:path, $method:ident, $parent:ident, (), $shape:ty)) => {{
        let result =
            $crate::__glue_call!($root, $accessor, $trait, $method, $parent, $r, $value, $R).await;
        $crate::__glue_fast!(@finish $kind $ex $r $field $R $shape, result)
    }};
    ([$ex:ident $r:ident $value:ident $data:ident $field:ident $R:ident $root:path]
        $kind:ident($accessor:ident, $trait:path, $method:ident, $parent:ident, ($args:ty), $shape:ty)) => {
        match $ex.arguments::<$args>($field) {
            ::std::result::Result::Ok(args) => {
                let result = $crate::__glue_call!(
                    $root, $accessor, $trait, $method, $parent, $r, $value, $R, args
                )
                .await;
                $crate::__glue_fast!(@finish $kind $ex $r $field $R $shape, result)
            }
            ::std::result::Result::Err(error) => $ex.fail($field, error),
        }
    };
    (@finish leaf $ex:ident $r:ident $field:ident $R:ident $shape:ty, $result:ident) => {
        $ex.leaf_result::<$shape, _>($field, $result)
    };
    (@finish object $ex:ident $r:ident $field:ident $R:ident $shape:ty, $result:ident) => {
        $ex.complete::<$shape, _, $R>($field, $r, $result).await
    };
}

/// One field of [`glue_object!`] for the reference executor.
#[doc(hidden)]
#[macro_export]
macro_rules! __glue_reference {
    ([$object:ident $info:ident $data:ident $R:ident $root:path] data($ident:ident, $shape:ty)) => {
        $crate::exec::leaf_shaped::<$shape, _>($object.ctx, &$data.$ident)
    };
    // The reference executor owns the values it resolves: a held value is cloned (this executor serves
    // introspection and the differential tests, not the hot path).
    ([$object:ident $info:ident $data:ident $R:ident $root:path] nested($ident:ident, $shape:ty)) => {
        <$shape as $crate::exec::Resolve<_, $R>>::resolve(
            $object.resolvers,
            $object.ctx,
            ::std::clone::Clone::clone(&$data.$ident),
        )
    };
    ([$object:ident $info:ident $data:ident $R:ident $root:path]
        $kind:ident($accessor:ident, $trait:path, $method:ident, $parent:ident, (), $shape:ty)) => {{
        let value = &$object.value;
        let result = $crate::__glue_call!(
            $root, $accessor, $trait, $method, $parent, $object.resolvers, value, $R
        )
        .await
        .map_err(|error| $object.ctx.fail(error))?;
        $crate::__glue_reference!(@finish $kind $object $R $shape, result)
    }};
    ([$object:ident $info:ident $data:ident $R:ident $root:path]
        $kind:ident($accessor:ident, $trait:path, $method:ident, $parent:ident, ($args:ty), $shape:ty)) => {{
        let args: $args = $object.ctx.arguments($info)?;
        let value = &$object.value;
        let result = $crate::__glue_call!(
            $root, $accessor, $trait, $method, $parent, $object.resolvers, value, $R, args
        )
        .await
        .map_err(|error| $object.ctx.fail(error))?;
        $crate::__glue_reference!(@finish $kind $object $R $shape, result)
    }};
    (@finish leaf $object:ident $R:ident $shape:ty, $result:ident) => {
        $crate::exec::leaf_shaped::<$shape, _>($object.ctx, &$result)
    };
    (@finish object $object:ident $R:ident $shape:ty, $result:ident) => {
        <$shape as $crate::exec::Resolve<_, $R>>::resolve($object.resolvers, $object.ctx, $result)
    };
}

/// A resolver method's call on the resolvers of its type (`Resolvers::accessor`): with the parent object (`parent`)
/// or without (`root`), with arguments or without.
#[doc(hidden)]
#[macro_export]
macro_rules! __glue_call {
    ($root:path, $accessor:ident, $trait:path, $method:ident, parent, $r:expr, $value:ident, $R:ident
        $(, $args:ident)?) => {
        <_ as $trait>::$method(<$R as $root>::$accessor($r), $value $(, $args)?)
    };
    ($root:path, $accessor:ident, $trait:path, $method:ident, root, $r:expr, $value:ident, $R:ident
        $(, $args:ident)?) => {
        <_ as $trait>::$method(<$R as $root>::$accessor($r) $(, $args)?)
    };
}
