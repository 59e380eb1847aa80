//! The Workable resolvers: `GET /members` (filters, id windows, `paging.next`) and `PUT /members`, each checking that
//! the token belongs to the account it names.

use std::sync::Arc;
use std::time::Duration;

use runtime::{ErrorCode, FieldError, FieldResult, MaybeAbsent};

use super::schema::{
    MemberStatus, MembersPage, MutationUpdateMemberArgs, Paging, QueryMembersArgs,
};
use super::store::{Leniency, MemberRecord, Store, Update};
use crate::api::Principal;
use crate::faults::{Fault, Faults};

/// How long an update takes: long enough that a concurrent PUT of the same member sees it in progress.
pub const UPDATE_TIME: Duration = Duration::from_millis(20);

/// The resolvers of one request.
#[derive(Debug)]
pub struct Resolvers {
    pub store: Arc<Store>,
    pub principal: Principal,
    pub faults: Faults,
    /// The route prefix of `paging.next` links.
    pub path: &'static str,
    /// `http://host[:port]` the client addressed: `paging.next` is a whole URL, as the document's.
    pub origin: Option<String>,
}

impl Resolvers {
    /// The account named by the request, if it exists and the token belongs to it.
    fn account(&self, subdomain: &str) -> FieldResult<Arc<super::store::Account>> {
        let account = self.store.account(subdomain)?;
        let token = self
            .store
            .token(&self.principal.id)
            .ok_or_else(|| FieldError::new(ErrorCode::Unauthenticated, "Unknown token"))?;
        // FAULT(token-crosses-accounts): the token's account is not compared with the path's.
        if token.account != subdomain && !self.faults.is_active(Fault::TokenCrossesAccounts) {
            return Err(FieldError::new(
                ErrorCode::Forbidden,
                format!("This token cannot access account `{subdomain}`"),
            ));
        }
        Ok(account)
    }
}

impl super::schema::QueryResolvers for Resolvers {
    async fn members(&self, args: QueryMembersArgs) -> FieldResult<MembersPage> {
        let account = self.account(&args.subdomain)?;
        let limit = match args.limit {
            MaybeAbsent::Value(n) if n < 1 => {
                return Err(FieldError::bad_input("limit must be at least 1"));
            }
            MaybeAbsent::Value(n) => (n as usize).min(100),
            _ => 50,
        };
        let status = args.status.value().copied().unwrap_or(MemberStatus::Active);
        let max_id_exclusive = self.faults.is_active(Fault::MaxIdExclusive);
        let matches = |m: &&Arc<MemberRecord>| {
            let member = &m.member;
            let active = member.active != Some(false);
            let status_ok = match status {
                MemberStatus::Active => active,
                MemberStatus::Inactive => !active,
                MemberStatus::All => true,
            };
            status_ok
                && args.role.value().is_none_or(|r| member.role == *r)
                && args
                    .email
                    .value()
                    .is_none_or(|e| member.email.eq_ignore_ascii_case(e))
                && args.name.value().is_none_or(|n| &member.name == n)
                && args
                    .shortcode
                    .value()
                    .is_none_or(|s| m.job_shortcodes.contains(s))
                && args
                    .since_id
                    .value()
                    .is_none_or(|since| member.id.as_str() >= since.as_str())
                && args.max_id.value().is_none_or(|max| {
                    // FAULT(max-id-exclusive): the bound leaves out the member it names.
                    member.id.as_str() < max.as_str()
                        || (member.id.as_str() == max.as_str() && !max_id_exclusive)
                })
        };
        let mut selected = account.members.values().filter(matches);
        let page: Vec<Arc<MemberRecord>> = selected.by_ref().take(limit).cloned().collect();
        let skip = usize::from(self.faults.is_active(Fault::PagingNextSkipsMember));
        // FAULT(paging-next-on-last-page): the last page links past its end, to an empty page.
        let past_the_end = self
            .faults
            .is_active(Fault::PagingNextOnLastPage)
            .then(|| page.last().map(|m| format!("{}0", m.member.id)))
            .flatten();
        let next = selected
            .nth(skip)
            .map(|m| m.member.id.clone())
            .or(past_the_end)
            .map(|since_id| {
                let mut query = runtime::url::form_urlencoded::Serializer::new(String::new());
                query.append_pair("limit", &limit.to_string());
                query.append_pair("since_id", &since_id);
                for (key, value) in [
                    ("max_id", args.max_id.value()),
                    ("email", args.email.value()),
                    ("name", args.name.value()),
                    ("shortcode", args.shortcode.value()),
                ] {
                    if let Some(value) = value {
                        query.append_pair(key, value);
                    }
                }
                if let Some(role) = args.role.value() {
                    query.append_pair("role", role.as_str());
                }
                query.append_pair("status", status.as_str());
                format!(
                    "{}{}/spi/v3/accounts/{}/members?{}",
                    self.origin.as_deref().unwrap_or(""),
                    self.path,
                    account.subdomain,
                    query.finish()
                )
            });
        Ok(MembersPage {
            members: page,
            paging: Some(Paging { next }),
        })
    }
}

impl super::schema::MutationResolvers for Resolvers {
    async fn update_member(
        &self,
        args: MutationUpdateMemberArgs,
    ) -> FieldResult<Arc<MemberRecord>> {
        self.account(&args.subdomain)?;
        let leniency = Leniency {
            last_admin: self.faults.is_active(Fault::LastAdminDemotable),
            concurrent_updates: self.faults.is_active(Fault::ConcurrentUpdatesAccepted),
        };
        let _guard =
            self.store
                .begin_update(&args.subdomain, &args.id, leniency.concurrent_updates)?;
        tokio::time::sleep(UPDATE_TIME).await;
        let update = Update {
            role: args.role,
            hris_role: args.hris_role,
            collaboration_rules: args.collaboration_rules,
        };
        self.store
            .update_member(&args.subdomain, &args.id, update, leniency)
    }
}

impl super::schema::Resolvers for Resolvers {
    fn query(&self) -> &impl super::schema::QueryResolvers {
        self
    }
    fn mutation(&self) -> &impl super::schema::MutationResolvers {
        self
    }
}
