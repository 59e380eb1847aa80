//! P12 (walks) and P13 (default and invalid sizes) over the Lighthouse paginators, against the reference listings.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::Union;
use runtime::rules::{ErrorStyle, OverMaxPolicy};
use serde_json::Value;

use super::page::{PageArgs, describe, expected_info, fetch, fetch_ok};
use super::{FIRST, Listing, PAGE, Paginator, listings, paginators, readers};
use crate::credentials::Credential;
use crate::ensure;
use crate::graphql::{Reply, error_code, input_code};
use crate::outcome::Verdict;
use crate::properties::pagination::sequence::{first_duplicate, same_sequence};
use crate::property::{Case, CaseError, Check, Context, check, setup_failure};

/// What every case of P12 and P13 shares: the paginators, the readers and the reference listings.
struct Setup {
    paginators: Vec<Paginator>,
    readers: Vec<Option<Credential>>,
    listings: Vec<Listing>,
}

impl Setup {
    fn new(cx: &Context<'_>) -> Result<Setup, Check> {
        // The fields that cannot be checked (`skipped`) are named in the verdict only when none can.
        let (paginators, skipped) = paginators(cx.schema);
        if paginators.is_empty() {
            return Err(Check::not_applicable(if skipped == 0 {
                "the API declares no LIGHTHOUSE field".to_owned()
            } else {
                format!(
                    "none of the {skipped} LIGHTHOUSE fields can be checked (a required argument besides `first` and `page`, no `data`/`paginatorInfo`, items without `id`, or a holder with no lookup)"
                )
            }));
        }
        let readers = readers(cx);
        let setup = Case::new(cx);
        let listings =
            listings(&setup, &paginators, &readers).map_err(|e| setup_failure(cx, &setup, e))?;
        if listings.is_empty() {
            return Err(Check::not_applicable(
                "no credential may call a LIGHTHOUSE field (give one per role, with `roles`, in the credentials file)",
            ));
        }
        Ok(Setup {
            paginators,
            readers,
            listings,
        })
    }

    /// A listing: four times in five a non-empty one where there is one, so that walks see items; the empty ones
    /// are checked too.
    fn listing(&self) -> BoxedStrategy<usize> {
        let (full, empty): (Vec<usize>, Vec<usize>) =
            (0..self.listings.len()).partition(|&l| !self.listings[l].items.is_empty());
        match (full.is_empty(), empty.is_empty()) {
            (false, false) => prop_oneof![
                4 => proptest::sample::select(full),
                1 => proptest::sample::select(empty),
            ]
            .boxed(),
            (false, true) => proptest::sample::select(full).boxed(),
            _ => proptest::sample::select(empty).boxed(),
        }
    }

    /// The largest `first` worth walking a listing with: one page holding every item and one more, within the
    /// maximum.
    fn top(&self, listing: &Listing) -> i64 {
        let top = (listing.items.len() as i64 + 1).max(2);
        match self.paginators[listing.paginator].pagination.max_page_size {
            Some(max) => top.min(i64::from(max)),
            None => top,
        }
    }

    /// How messages name a page of a listing and its reader.
    fn name(&self, listing: &Listing, args: PageArgs) -> String {
        let page = describe(
            &self.paginators[listing.paginator],
            listing.holder.as_deref(),
            args,
        );
        match &self.readers[listing.reader] {
            Some(c) => format!("{page} as credential `{}`", c.name),
            None => format!("{page} with no credential"),
        }
    }

    /// A passing check over listings that were all empty proves little: inconclusive.
    fn conclude(&self, check: Check) -> Check {
        if matches!(check.verdict, Verdict::Passed)
            && self.listings.iter().all(|l| l.items.is_empty())
        {
            return Check::inconclusive(
                "every LIGHTHOUSE list is empty for every credential: the walks saw no item",
                check.cases,
            );
        }
        check
    }

    /// Requests page `args` of a listing, which must come back exact: its paginatorInfo that of `args.page` (1 when
    /// absent) of the listing's items by pages of the size `args.first` gets, and its items that page's slice.
    fn check_page(
        &self,
        case: &Case<'_, '_>,
        listing: &Listing,
        args: PageArgs,
    ) -> Result<Vec<Value>, CaseError> {
        let p = &self.paginators[listing.paginator];
        let Some(per_page) = p.size(args.first) else {
            return Err(CaseError::Reject(format!(
                "{} has no page size to expect",
                self.name(listing, args)
            )));
        };
        let number = args.page.unwrap_or(1).max(1) as u64;
        let reference = &listing.items;
        let total = reference.len() as u64;
        let reader = self.readers[listing.reader].as_ref();
        let got = fetch_ok(case, p, listing.holder.as_deref(), reader, args)?;
        let want = expected_info(total, per_page, number);
        let differences = got.info.differences(&want);
        ensure!(
            differences.is_empty(),
            "{}: paginatorInfo is wrong for page {number} of {total} items by pages of {per_page}: {}",
            self.name(listing, args),
            differences.join(", ")
        );
        let start = ((number - 1) * per_page).min(total) as usize;
        let slice = &reference[start..start + want.count as usize];
        ensure!(
            got.items == slice,
            "{}: data holds {:?}; the reference listing has {:?} there (positions {} to {})",
            self.name(listing, args),
            got.items,
            slice,
            start + 1,
            start + slice.len()
        );
        Ok(got.items)
    }
}

pub(super) fn run_p12(cx: &Context<'_>) -> Check {
    let setup = match Setup::new(cx) {
        Ok(s) => s,
        Err(check) => return check,
    };
    let tops: Vec<i64> = setup.listings.iter().map(|l| setup.top(l)).collect();
    let strategy = setup.listing().prop_flat_map(move |l| {
        let first = prop_oneof![1 => Just(None), 4 => (1..=tops[l]).prop_map(Some)];
        (Just(l), first)
    });
    let result = check(cx, strategy, |case, (l, first)| {
        let listing = &setup.listings[l];
        let p = &setup.paginators[listing.paginator];
        let Some(per_page) = p.size(first) else {
            return Err(CaseError::Reject(format!(
                "`{}` declares no defaultPageSize",
                p.name()
            )));
        };
        let last = expected_info(listing.items.len() as u64, per_page, 1).last_page;
        let mut walked = Vec::new();
        for page in 1..=last + 1 {
            let args = PageArgs {
                first,
                page: Some(page),
            };
            walked.extend(setup.check_page(case, listing, args)?);
        }
        let what = format!(
            "walk of pages 1 to {} of {}",
            last + 1,
            setup.name(listing, PageArgs { first, page: None })
        );
        if let Some(dup) = first_duplicate(&walked) {
            return Err(CaseError::fail(format!(
                "a {what} returns item {dup} more than once"
            )));
        }
        same_sequence(p.name(), &what, &walked, &listing.items)
    });
    setup.conclude(result)
}

/// The out-of-range request of a P13 case.
#[derive(Debug, Clone)]
enum Bad {
    /// `first` below 1.
    First { first: i64, page: Option<i64> },
    /// `page` below 1.
    Page { first: Option<i64>, page: i64 },
    /// `first` this much above the declared maximum (refused or clamped per `overMax`).
    OverMax { above: i64, page: Option<Index> },
}

pub(super) fn run_p13(cx: &Context<'_>) -> Check {
    let setup = match Setup::new(cx) {
        Ok(s) => s,
        Err(check) => return check,
    };
    let bounded = setup
        .paginators
        .iter()
        .any(|p| p.pagination.max_page_size.is_some());
    let mut bad: Vec<(u32, BoxedStrategy<Bad>)> = vec![
        (
            2,
            (-3i64..=0, proptest::option::of(1i64..=3))
                .prop_map(|(first, page)| Bad::First { first, page })
                .boxed(),
        ),
        (
            2,
            (proptest::option::of(1i64..=5), -3i64..=0)
                .prop_map(|(first, page)| Bad::Page { first, page })
                .boxed(),
        ),
    ];
    if bounded {
        bad.push((
            1,
            (1i64..=10, proptest::option::of(any::<Index>()))
                .prop_map(|(above, page)| Bad::OverMax { above, page })
                .boxed(),
        ));
    }
    // Every case asks for a page without `first` (and `page` absent, or one of pages 1 to lastPage + 1) and sends
    // one out-of-range request, on two listings.
    let strategy = (
        setup.listing(),
        proptest::option::of(any::<Index>()),
        setup.listing(),
        Union::new_weighted(bad),
    );
    let result = check(cx, strategy, |case, (default, page, other, bad)| {
        let listing = &setup.listings[default];
        let p = &setup.paginators[listing.paginator];
        match p.size(None) {
            None if p.pagination.page_size_required => {
                setup.check_refused(case, listing, PageArgs::default(), FIRST)?
            }
            per_page => {
                let args = PageArgs {
                    first: None,
                    page: page_of(listing.items.len(), per_page, page),
                };
                setup.check_page(case, listing, args)?;
            }
        }
        let listing = &setup.listings[other];
        let p = &setup.paginators[listing.paginator];
        let (args, refused) = match bad {
            Bad::First { first, page } => (
                PageArgs {
                    first: Some(first),
                    page,
                },
                Some(FIRST),
            ),
            Bad::Page { first, page } => (
                PageArgs {
                    first,
                    page: Some(page),
                },
                Some(PAGE),
            ),
            Bad::OverMax { above, page } => {
                let Some(max) = p.pagination.max_page_size else {
                    return Err(CaseError::Reject(format!(
                        "`{}` declares no maxPageSize",
                        p.name()
                    )));
                };
                let args = PageArgs {
                    first: Some(i64::from(max) + above),
                    page: page_of(listing.items.len(), Some(u64::from(max)), page),
                };
                let refused = (p.pagination.over_max == OverMaxPolicy::Reject).then_some(FIRST);
                (args, refused)
            }
        };
        match refused {
            Some(argument) => setup.check_refused(case, listing, args, argument),
            None => setup.check_page(case, listing, args).map(drop),
        }
    });
    setup.conclude(result)
}

/// One of pages 1 to lastPage + 1 of `items` by pages of `per_page`, when `page` is drawn.
fn page_of(items: usize, per_page: Option<u64>, page: Option<Index>) -> Option<i64> {
    let last = expected_info(items as u64, per_page.unwrap_or(1), 1).last_page;
    page.map(|i| 1 + i.index(last as usize + 1) as i64)
}

impl Setup {
    /// Requests page `args`, which must be refused with the API's validation error naming `argument` (in the
    /// EXTENSIONS_CODE style, a key of `extensions.validation`, as `rules.graphql` keys validation errors by path),
    /// with no data for the field.
    fn check_refused(
        &self,
        case: &Case<'_, '_>,
        listing: &Listing,
        args: PageArgs,
        argument: &str,
    ) -> Result<(), CaseError> {
        let p = &self.paginators[listing.paginator];
        let rules = case.cx.rules;
        let asked = self.name(listing, args);
        let reader = self.readers[listing.reader].as_ref();
        let reply: Reply = match fetch(case, p, listing.holder.as_deref(), reader, args)? {
            Ok(page) => {
                return Err(CaseError::fail(format!(
                    "{asked} must be refused (`{argument}` is out of range), but returned a page of {} items",
                    page.items.len()
                )));
            }
            Err(reply) => reply,
        };
        ensure!(
            reply.has_errors(),
            "{asked} returned neither a page nor an error"
        );
        let Some(code) = input_code(rules) else {
            return Ok(());
        };
        let error = reply
            .errors()
            .iter()
            .find(|e| error_code(e, rules).as_deref() == Some(code));
        let Some(error) = error else {
            return Err(CaseError::fail(format!(
                "{asked} is refused with {}; expected the validation error {code}",
                reply.error_digest(rules)
            )));
        };
        if rules.error_format.as_ref().map(|f| f.style) == Some(ErrorStyle::ExtensionsCode) {
            let keys: Vec<&String> = error
                .get("extensions")
                .and_then(|x| x.get("validation"))
                .and_then(Value::as_object)
                .map(|m| m.keys().collect())
                .unwrap_or_default();
            let suffix = format!(".{argument}");
            ensure!(
                keys.iter().any(|k| *k == argument || k.ends_with(&suffix)),
                "{asked}: the validation error does not name `{argument}` in extensions.validation (keys {keys:?}): {error}"
            );
        }
        Ok(())
    }
}
