//! Named defects the server can be started with (`--fault NAME`, repeatable), each one a behaviour a careful client
//! would notice. They exist to prove the conformance harness catches them; with no `--fault`, none is active.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

macro_rules! faults {
    ($($variant:ident = $name:literal, $api:literal, $doc:literal;)*) => {
        /// A defect that can be injected.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Fault {
            $(#[doc = $doc] $variant,)*
        }

        impl Fault {
            /// Every fault, in documentation order.
            pub const ALL: &'static [Fault] = &[$(Fault::$variant),*];

            /// The name given to `--fault`.
            pub fn name(self) -> &'static str {
                match self { $(Fault::$variant => $name,)* }
            }

            /// The API the defect is in.
            pub fn api(self) -> &'static str {
                match self { $(Fault::$variant => $api,)* }
            }

            /// One line on what goes wrong.
            pub fn description(self) -> &'static str {
                match self { $(Fault::$variant => $doc,)* }
            }
        }
    };
}

faults! {
    PageOffByOne = "page-off-by-one", "greenhouse_onboarding",
        "A page that continues `after` a cursor starts one item early, repeating the cursor's node.";
    HasNextPageOnLastPage = "has-next-page-on-last-page", "greenhouse_onboarding",
        "`hasNextPage` is true on the last page of a forward walk.";
    UnstableCursors = "unstable-cursors", "greenhouse_onboarding",
        "The same node gets a different cursor on every request.";
    PageSizeNotClamped = "page-size-not-clamped", "greenhouse_onboarding",
        "`first` or `last` above 25 returns that many records instead of 25.";
    DateFilterInclusive = "date-filter-inclusive", "greenhouse_onboarding",
        "`DateFilter` `after` and `before` include their boundary dates.";
    WrongSecretAccepted = "wrong-secret-accepted", "greenhouse_onboarding",
        "A known access key is accepted with any secret key.";
    PartialUpdateClearsFields = "partial-update-clears-fields", "greenhouse_onboarding",
        "`updateEmployeeProfile` clears the profile fields the request does not mention.";
    RateLimitNotEnforced = "rate-limit-not-enforced", "greenhouse_onboarding",
        "Requests past the quota are served instead of refused.";
    RemainingNotDecremented = "remaining-not-decremented", "greenhouse_onboarding",
        "`rateLimit.remaining` does not fall as requests are made.";
    ErrorCodeMissing = "error-code-missing", "greenhouse_onboarding",
        "Errors carry no `errorCode`.";
    ComplexityNotEnforced = "complexity-not-enforced", "greenhouse_onboarding",
        "Operations scoring above the maximum are executed.";
    ComplexityMiscounted = "complexity-miscounted", "greenhouse_onboarding",
        "`complexityInfo.score` ignores the page size of connections.";
    LastAdminDemotable = "last-admin-demotable", "workable_members",
        "The last admin of an account, and the only member who is both admin and HRIS admin, can lose the admin role.";
    MissingScopeAccepted = "missing-scope-accepted", "workable_members",
        "A token without the operation's required scope is served.";
    PagingNextSkipsMember = "paging-next-skips-member", "workable_members",
        "`paging.next` starts one member after the next one, so each page boundary loses a member.";
    RateLimitHeadersLie = "rate-limit-headers-lie", "workable_members",
        "`X-Rate-Limit-Remaining` always reports the full quota.";
    ConcurrentUpdatesAccepted = "concurrent-updates-accepted", "workable_members",
        "A PUT of a member already being updated is applied too, instead of answered with 422.";
    SchemaDrift = "schema-drift", "greenhouse_onboarding",
        "Introspection shows an enum value that the public SDL does not declare (the served schema drifted).";
    BackwardPageReversed = "backward-page-reversed", "greenhouse_onboarding",
        "A page taken with `last` lists its edges in reverse order.";
    StartCursorIsEndCursor = "start-cursor-is-end-cursor", "greenhouse_onboarding",
        "`pageInfo.startCursor` is the cursor of the page's last edge.";
    BeforeCursorIncluded = "before-cursor-included", "greenhouse_onboarding",
        "With `after` and `before` together, the page includes the `before` node.";
    WalkOmitsNewest = "walk-omits-newest", "greenhouse_onboarding",
        "Walks of `departments` and `locations` leave out their newest record (a listing cache one write behind).";
    ErrorLocationsZeroBased = "error-locations-zero-based", "greenhouse_onboarding",
        "Error `locations` count lines and columns from 0.";
    RequestErrorHasData = "request-error-has-data", "greenhouse_onboarding",
        "A request error (syntax, validation, refusal) carries `\"data\": {}`.";
    InternalsInMessages = "internals-in-messages", "greenhouse_onboarding",
        "Every third error message ends with a stack frame (Python, Ruby, Node, Java, Go in turn) naming a server file and line.";
    MalformedBodyServerError = "malformed-body-server-error", "greenhouse_onboarding",
        "A request body that is not JSON gets HTTP 500.";
    IntrospectionCosts = "introspection-costs", "greenhouse_onboarding",
        "Each `__` name in an operation (introspection, `__typename`) adds one to its complexity score.";
    FieldErrorsWithoutLocations = "field-errors-without-locations", "greenhouse_onboarding",
        "Errors of a field (an unknown id) carry no `locations`.";
    QuotaLimitMisreported = "quota-limit-misreported", "greenhouse_onboarding",
        "The quota reports a limit twice the one enforced.";
    ThrottledWriteApplied = "throttled-write-applied", "greenhouse_onboarding",
        "A mutation refused for the quota is executed anyway.";
    QuotaNeverResets = "quota-never-resets", "greenhouse_onboarding",
        "An exhausted quota stays exhausted after its reset time.";
    QuotaSharedBetweenKeys = "quota-shared-between-keys", "greenhouse_onboarding",
        "Every credential of the API draws from one quota.";
    MaxIdExclusive = "max-id-exclusive", "workable_members",
        "`max_id` leaves out the member with that id.";
    PagingNextOnLastPage = "paging-next-on-last-page", "workable_members",
        "The last page still has a `paging.next`, which leads to an empty page.";
    UnservedMethodNotFound = "unserved-method-not-found", "workable_members",
        "A method that a path does not serve gets 404, as an unknown path would, instead of 405 with `Allow`.";
    MutationOverGetExecuted = "mutation-over-get-executed", "greenhouse_onboarding",
        "A mutation sent over GET is executed instead of refused with 405.";
    StartDateMisformatted = "start-date-misformatted", "greenhouse_onboarding",
        "`startDate` is written DD/MM/YYYY, not in the `Date` scalar's YYYY-MM-DD.";
    TokenCrossesAccounts = "token-crosses-accounts", "workable_members",
        "A token is served on any account's subdomain, not only its own.";
    LogoutDoesNotRevoke = "logout-does-not-revoke", "healthmov_user_management",
        "`logout` answers `ok: true` but its access token keeps working.";
    ExpiredTokenAccepted = "expired-token-accepted", "healthmov_user_management",
        "An access or refresh token past its expiration date is accepted.";
    RefreshTokenReusable = "refresh-token-reusable", "healthmov_user_management",
        "A refresh token can be spent more than once.";
    EmployeeNumberDuplicates = "employee-number-duplicates", "healthmov_user_management",
        "`createOrUpdateEmployee` with an employee number already used in the company creates another employee.";
    TotalCountCountsPage = "total-count-counts-page", "healthmov_user_management",
        "`totalCount` counts the page's edges instead of the whole list.";
    OtherClientsVisible = "other-clients-visible", "healthmov_user_management",
        "A client sees and changes the companies of every client.";
    OffboardedCountedOnboarded = "offboarded-counted-onboarded", "healthmov_user_management",
        "`nbDependentsOnboarded` counts dependents whose offboarding date has passed.";
    UnreportedQuotaNotEnforced = "unreported-quota-not-enforced", "healthmov_user_management",
        "A quota that is reported nowhere is not enforced: requests past it are served.";
    ForeignDepartmentAccepted = "foreign-department-accepted", "healthmov_user_management",
        "`createOrUpdateEmployee` accepts a department of another company.";
    WorkerAllowedCompanyOnly = "worker-allowed-company-only", "worksome",
        "A worker passes the role rules that only companies may (`@requiresRole(roles: [\"company\"])`).";
    ForeignEntityAccepted = "foreign-entity-accepted", "worksome",
        "Ownership is not checked: a company may act on another company's hire, job or project.";
    UpdateClearsUnmentioned = "update-clears-unmentioned", "worksome",
        "An UPDATE effect clears the fields its input leaves out, as a REPLACE would.";
    DeletedStillListed = "deleted-still-listed", "worksome",
        "A deleted entity reads as null by its lookup but stays in its Lighthouse list.";
    DetachLeavesMembers = "detach-leaves-members", "worksome",
        "A DETACH effect reports success but leaves the members in the relation.";
    TransitionFromAnyStatus = "transition-from-any-status", "worksome",
        "A status transition is applied from any status, not only the declared sources.";
    PreconditionIgnored = "precondition-ignored", "worksome",
        "Declared preconditions (`@invariant`s checked by `requires`) are not checked.";
    LastItemOffByOne = "last-item-off-by-one", "worksome",
        "`paginatorInfo.lastItem` is one past the last item of the page.";
    MorePagesOnLastPage = "more-pages-on-last-page", "worksome",
        "`paginatorInfo.hasMorePages` is true on the last page.";
    PageBelowOneServed = "page-below-one-served", "worksome",
        "A Lighthouse `page` below 1 is served as page 1 instead of refused with the validation error.";
    ValidationWithoutPaths = "validation-without-paths", "worksome",
        "Validation errors lose `extensions.validation`, the messages keyed by input path.";
    RoleRefusedWriteApplied = "role-refused-write-applied", "worksome",
        "A mutation refused to a caller without its role is executed all the same: the refusal is answered, the write is kept.";
    AllowedRoleRefused = "allowed-role-refused", "worksome",
        "A recruiter is refused as unauthorized even the fields recruiters may call.";
    UndeclaredRefusalMessages = "undeclared-refusal-messages", "worksome",
        "Refusals of missing credentials and of a missing role use Laravel's default wording, not the declared messages.";
    ParseFailureAs200 = "parse-failure-as-200", "worksome",
        "A document that does not parse is answered with HTTP 200, not the declared 400.";
    QuotaRefusedWriteApplied = "quota-refused-write-applied", "worksome",
        "A mutation refused for the quota is still applied (its answer is the refusal).";
    CompaniesWalkOmitsNewest = "companies-walk-omits-newest", "healthmov_user_management",
        "Walks of `companies` leave out the client's newest company (a listing one write behind), and count without it.";
    InternalsInAuthRefusals = "internals-in-auth-refusals", "healthmov_user_management",
        "A refused token (unknown, tampered, expired, revoked) gets the token check's Python traceback after its message.";
    QuotaRefusalUnmarked = "quota-refusal-unmarked", "healthmov_user_management",
        "A request past the quota is refused with HTTP 200 and a bare message, not 429: nothing marks it as a quota refusal.";
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fault::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Fault::ALL.iter().map(|f| f.name()).collect();
                format!("unknown fault `{s}`; known faults: {}", names.join(", "))
            })
    }
}

/// The set of active faults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults(BTreeSet<Fault>);

impl Faults {
    pub fn none() -> Self {
        Faults::default()
    }

    pub fn is_active(&self, fault: Fault) -> bool {
        self.0.contains(&fault)
    }

    pub fn iter(&self) -> impl Iterator<Item = Fault> + '_ {
        self.0.iter().copied()
    }
}

impl FromIterator<Fault> for Faults {
    fn from_iter<I: IntoIterator<Item = Fault>>(iter: I) -> Self {
        Faults(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for fault in Fault::ALL {
            assert_eq!(fault.name().parse::<Fault>(), Ok(*fault));
        }
        let names: BTreeSet<_> = Fault::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names.len(), Fault::ALL.len());
        assert!(
            "no-such-fault"
                .parse::<Fault>()
                .unwrap_err()
                .contains("page-off-by-one")
        );
    }
}
