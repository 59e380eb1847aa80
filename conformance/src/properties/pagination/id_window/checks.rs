//! P9-P11: each case's query against the target, compared with the reference listing.

use std::cmp::Ordering;

use proptest::prelude::*;

use crate::ensure;
use crate::property::{CaseError, Check, Context};
use crate::rest::{self};

use super::query::{Resolved, over_windows, page_limits};
use super::{MAX, Reader, SINCE, Window, id_cmp, parse_page, windows};

fn max_page(cx: &Context<'_>) -> i64 {
    windows(cx).first().map_or(50, Window::max)
}

pub(super) fn run_p9(cx: &Context<'_>) -> Check {
    over_windows(
        cx,
        page_limits(max_page(cx)),
        2,
        |case, window, reader, resolved, query| {
            let size = window.size(query.limit).unwrap_or(1);
            let what = |n: usize| {
                format!(
                    "page {n} of a walk of `{}` ({} on `{}`)",
                    window.field.field_name, resolved.described, reader.account
                )
            };
            let first = case.rest(&resolved.call, Some(&reader.credential))?;
            let mut page = parse_page(window, &first, &what(1))?;
            let mut walked: Vec<String> = Vec::new();
            let bound = resolved.expected.len() / size.max(1) + 3;
            let mut n = 1;
            loop {
                ensure!(
                    page.ids.len() <= size,
                    "{} holds {} nodes; the page size is {size}",
                    what(n),
                    page.ids.len()
                );
                ensure!(
                    !page.ids.is_empty() || (n == 1 && resolved.expected.is_empty()),
                    "{} is empty{}",
                    what(n),
                    if n > 1 {
                        ": the previous page's paging.next promised more"
                    } else {
                        ""
                    }
                );
                walked.extend(page.ids.iter().cloned());
                let Some(next) = page.next.clone() else { break };
                n += 1;
                ensure!(
                    n <= bound,
                    "a walk of `{}` ({}) goes on past {bound} pages for {} nodes",
                    window.field.field_name,
                    resolved.described,
                    resolved.expected.len()
                );
                let request = rest::follow(&case.cx.target.url, &next, Some(&reader.credential))
                    .map_err(|e| CaseError::fail(format!("{}: paging.next {e}", what(n - 1))))?;
                let response = case.send_retrying(|| request.clone())?;
                page = parse_page(window, &response, &what(n))?;
            }
            compare_walk(window, reader, resolved, &walked)
        },
    )
}

fn compare_walk(
    window: &Window,
    reader: &Reader,
    resolved: &Resolved,
    walked: &[String],
) -> Result<(), CaseError> {
    let mut seen = std::collections::HashSet::new();
    for id in walked {
        ensure!(
            seen.insert(id.as_str()),
            "a walk of `{}` ({} on `{}`) returns {id} twice",
            window.field.field_name,
            resolved.described,
            reader.account
        );
    }
    if let Some(w) = walked
        .windows(2)
        .find(|w| id_cmp(&w[0], &w[1]) != Ordering::Less)
    {
        return Err(CaseError::fail(format!(
            "a walk of `{}` ({} on `{}`) is not in ascending id order: {} comes before {}",
            window.field.field_name, resolved.described, reader.account, w[0], w[1]
        )));
    }
    if walked == resolved.expected.as_slice() {
        return Ok(());
    }
    let missing: Vec<&String> = resolved
        .expected
        .iter()
        .filter(|id| !seen.contains(id.as_str()))
        .take(5)
        .collect();
    let extra: Vec<&String> = walked
        .iter()
        .filter(|id| !resolved.expected.contains(id))
        .take(5)
        .collect();
    Err(CaseError::fail(format!(
        "a walk of `{}` ({} on `{}`) returns {} nodes where {} match; missing {missing:?}, not matching {extra:?}",
        window.field.field_name,
        resolved.described,
        reader.account,
        walked.len(),
        resolved.expected.len()
    )))
}

pub(super) fn run_p10(cx: &Context<'_>) -> Check {
    let max = max_page(cx);
    let limits = prop_oneof![
        2 => Just(None),
        6 => (1..=max + 30).prop_map(Some),
        1 => (-2..=0i64).prop_map(Some),
        1 => (max + 1..=max * 5).prop_map(Some),
    ]
    .boxed();
    over_windows(cx, limits, 1, |case, window, reader, resolved, query| {
        let response = case.rest(&resolved.call, Some(&reader.credential))?;
        let what = format!(
            "`{}` with {} on `{}`",
            window.field.field_name, resolved.described, reader.account
        );
        let Some(size) = window.size(query.limit) else {
            // Below 1, or above the maximum where the policy refuses: an error of the API's format, or (below 1)
            // any page no larger than the maximum; never a server error.
            ensure!(
                response.status < 500,
                "{what} got a server error: {}",
                rest::digest(&response)
            );
            if (200..300).contains(&response.status) {
                let refused_by_policy = query.limit.is_some_and(|l| l > window.max());
                ensure!(
                    !refused_by_policy,
                    "{what} must be refused (the maximum page size is {} and @paginated(overMax: REJECT)); got HTTP {}",
                    window.max(),
                    response.status
                );
                let page = parse_page(window, &response, &what)?;
                ensure!(
                    page.ids.len() as i64 <= window.max(),
                    "{what} returned {} nodes, more than the maximum page size {}",
                    page.ids.len(),
                    window.max()
                );
            } else {
                ensure!(
                    rest::error_message(&response).is_some(),
                    "{what} was refused without a JSON error body: {}",
                    rest::digest(&response)
                );
            }
            return Ok(());
        };
        let page = parse_page(window, &response, &what)?;
        let expected: Vec<String> = resolved.expected.iter().take(size).cloned().collect();
        ensure!(
            page.ids.len() == expected.len(),
            "{what} returned {} nodes; expected min({}, {} matching) = {}{}",
            page.ids.len(),
            query
                .limit
                .map_or(format!("the default {size}"), |l| if l as usize == size {
                    l.to_string()
                } else {
                    format!("{l} clamped to {size}")
                }),
            resolved.expected.len(),
            expected.len(),
            if query.limit.is_none() {
                " (no limit: the default page size)"
            } else {
                ""
            }
        );
        ensure!(
            page.ids == expected,
            "{what} returned {:?}; the window's first nodes are {:?}",
            page.ids,
            expected
        );
        // Both bounds are inclusive: the window from the last matching node to itself holds exactly that node.
        if let Some(edge) = resolved.expected.last() {
            let call = resolved
                .call
                .clone()
                .arg(SINCE, edge.as_str())
                .arg(MAX, edge.as_str());
            let response = case.rest(&call, Some(&reader.credential))?;
            let one = parse_page(window, &response, &what)?;
            ensure!(
                one.ids == std::slice::from_ref(edge),
                "{what}, narrowed to {SINCE}={edge} and {MAX}={edge}, returned {:?}; both bounds are inclusive, so \
                 it must hold exactly {edge}",
                one.ids
            );
        }
        Ok(())
    })
}

pub(super) fn run_p11(cx: &Context<'_>) -> Check {
    let max = max_page(cx);
    let limits = prop_oneof![
        3 => (1..=8i64).prop_map(Some),
        2 => (1..=max).prop_map(Some),
        1 => Just(None),
    ]
    .boxed();
    over_windows(cx, limits, 1, |case, window, reader, resolved, query| {
        let size = window.size(query.limit).unwrap_or(1);
        let what = format!(
            "`{}` with {} on `{}`",
            window.field.field_name, resolved.described, reader.account
        );
        let response = case.rest(&resolved.call, Some(&reader.credential))?;
        let page = parse_page(window, &response, &what)?;
        let more = resolved.expected.len() > page.ids.len();
        ensure!(
            page.next.is_some() == more,
            "{what}: paging.next is {} but {} of {} matching nodes remain after this page of {}",
            page.next
                .as_deref()
                .map_or("absent".to_owned(), |n| format!("{n:?}")),
            resolved.expected.len().saturating_sub(page.ids.len()),
            resolved.expected.len(),
            page.ids.len()
        );
        let Some(next) = page.next else {
            return Ok(());
        };
        let request = rest::follow(&case.cx.target.url, &next, Some(&reader.credential))
            .map_err(|e| CaseError::fail(format!("{what}: paging.next {e}")))?;
        let response = case.send_retrying(|| request.clone())?;
        let second = parse_page(window, &response, &format!("paging.next of {what}"))?;
        let start = page.ids.len();
        let expected: Vec<String> = resolved
            .expected
            .iter()
            .skip(start)
            .take(size)
            .cloned()
            .collect();
        ensure!(
            second.ids == expected,
            "{what}: paging.next ({next}) returned {:?}; the nodes right after this page are {:?}",
            second.ids,
            expected
        );
        Ok(())
    })
}
