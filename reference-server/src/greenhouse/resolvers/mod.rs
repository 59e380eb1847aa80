//! The generated resolver traits, implemented over the store for one request (`roots`: lookups, connections and
//! mutations; `records`: relations and computed values). Each resolver takes the lock only for what it reads or
//! writes, and never across an await.

use std::sync::Arc;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use runtime::{FieldError, FieldResult, Id, MaybeAbsent};

use super::bindings;
use super::pagination::{self, Cursors, PageArgs, PageRequest};
use super::schema::{self};
use super::service::GreenhouseApi;
use super::store::{CustomValues, FileRecord, Store, not_found};
use crate::api::{Principal, RequestMeta};
use crate::faults::{Fault, Faults};

/// Where signed file URLs point.
const FILE_HOST: &str = "https://files.onboarding.example.com";

/// How long a signed file URL stays valid.
const FILE_URL_LIFETIME_MINUTES: i64 = 60;

/// The resolvers of one request.
#[derive(Debug)]
pub struct Resolvers {
    api: Arc<GreenhouseApi>,
    /// Who is calling. Keys are all-powerful in this API: nothing depends on which key it is.
    #[allow(dead_code)]
    principal: Principal,
    meta: RequestMeta,
    cursors: Cursors,
    /// When the request started: file URLs are signed from it.
    started: DateTime<Utc>,
}

impl Resolvers {
    pub fn new(
        api: Arc<GreenhouseApi>,
        principal: Principal,
        meta: RequestMeta,
        number: u64,
    ) -> Self {
        let cursors = Cursors::new(&api.faults, number);
        Resolvers {
            api,
            principal,
            meta,
            cursors,
            started: Utc::now().trunc_subsecs(0),
        }
    }

    fn store(&self) -> std::sync::RwLockReadGuard<'_, Store> {
        self.api.store.read()
    }

    fn faults(&self) -> &Faults {
        &self.api.faults
    }

    /// A record named by an `Int` id argument: null plus a NotFound error when there is none.
    fn lookup<T>(
        &self,
        type_name: &str,
        id: &MaybeAbsent<i32>,
        get: impl FnOnce(&Store, u32) -> Option<T>,
    ) -> FieldResult<Option<T>> {
        let Some(&id) = id.value() else {
            return Err(FieldError::bad_input(format!(
                "`id` is required to look up a {type_name}."
            )));
        };
        let found = u32::try_from(id).ok().and_then(|id| get(&self.store(), id));
        found.map(Some).ok_or_else(|| not_found(type_name, id))
    }

    fn page_request<K: pagination::CursorKey>(
        &self,
        field: &str,
        args: PageArgs<'_>,
    ) -> FieldResult<PageRequest<K>> {
        PageRequest::new(field, args, &self.cursors, self.faults())
    }

    /// A connection over one of the store's maps of shared reference records, in id order.
    fn records_connection<C: pagination::Connection>(
        &self,
        field: &str,
        args: PageArgs<'_>,
        records: impl FnOnce(&Store) -> &std::collections::BTreeMap<u32, Arc<C::Node>>,
    ) -> FieldResult<Option<C>>
    where
        C::Node: Clone,
    {
        let request = self.page_request::<u32>(field, args)?;
        let store = self.store();
        let entries: Vec<_> = records(&store).iter().map(|(k, v)| (*k, &**v)).collect();
        Ok(Some(pagination::connection(
            &entries,
            &request,
            &self.cursors,
            self.faults(),
        )))
    }

    /// A file as served: with a URL signed for the next hour.
    fn file(&self, file: &FileRecord) -> schema::File {
        let expires = self.started + Duration::minutes(FILE_URL_LIFETIME_MINUTES);
        let timestamp = expires.timestamp();
        schema::File {
            expires_at: Some(expires),
            file_name: Some(file.file_name.clone()),
            file_size: file.file_size,
            file_url: Some(format!(
                "{FILE_HOST}/{}?expires={timestamp}&signature={:016x}",
                file.path,
                signature(&file.path, timestamp)
            )),
        }
    }

    fn employee(&self, id: Option<u32>) -> Option<bindings::Employee> {
        id.and_then(|id| self.store().employees.get(&id).cloned())
    }

    fn department(&self, id: Option<u32>) -> Option<bindings::Department> {
        id.and_then(|id| self.store().departments.get(&id).cloned())
    }

    fn location(&self, id: Option<u32>) -> Option<bindings::Location> {
        id.and_then(|id| self.store().locations.get(&id).cloned())
    }
}

/// A stand-in URL signature (FNV-1a of the path and the expiry): stable for the same file and expiry.
fn signature(path: &str, expires: i64) -> u64 {
    path.bytes()
        .chain(expires.to_le_bytes())
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// The time a mutation happens, to the millisecond.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

fn saturating_i32(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn some_list<T>(items: impl IntoIterator<Item = T>) -> Option<Vec<Option<T>>> {
    Some(items.into_iter().map(Some).collect())
}

/// The values of an employee or pending hire, limited to `customFieldIds` when given, in custom field order.
fn custom_field_values(
    values: &CustomValues,
    only: &MaybeAbsent<Vec<Option<Id>>>,
) -> Option<Vec<Option<bindings::CustomFieldValue>>> {
    let only = only.value();
    some_list(
        values
            .iter()
            .filter(|(field, _)| {
                only.is_none_or(|ids| ids.iter().flatten().any(|id| id.as_str() == *field))
            })
            .map(|(field, stored)| bindings::CustomFieldValue::new(field, stored)),
    )
}

macro_rules! page_args {
    ($args:expr) => {
        PageArgs {
            first: &$args.first,
            last: &$args.last,
            after: &$args.after,
            before: &$args.before,
        }
    };
}

impl schema::Resolvers for Resolvers {
    fn query(&self) -> &impl schema::QueryResolvers {
        self
    }
    fn mutation(&self) -> &impl schema::MutationResolvers {
        self
    }
    fn country(&self) -> &impl schema::CountryResolvers {
        self
    }
    fn custom_field(&self) -> &impl schema::CustomFieldResolvers {
        self
    }
    fn custom_field_value(&self) -> &impl schema::CustomFieldValueResolvers {
        self
    }
    fn department(&self) -> &impl schema::DepartmentResolvers {
        self
    }
    fn document(&self) -> &impl schema::DocumentResolvers {
        self
    }
    fn employee(&self) -> &impl schema::EmployeeResolvers {
        self
    }
    fn location(&self) -> &impl schema::LocationResolvers {
        self
    }
    fn pending_hire(&self) -> &impl schema::PendingHireResolvers {
        self
    }
    fn signature_request(&self) -> &impl schema::SignatureRequestResolvers {
        self
    }
    fn signature_request_template(&self) -> &impl schema::SignatureRequestTemplateResolvers {
        self
    }
    fn state(&self) -> &impl schema::StateResolvers {
        self
    }
    fn team(&self) -> &impl schema::TeamResolvers {
        self
    }
}

/// The records a connection of departments or locations lists, in key order.
fn listing<'s, N>(
    records: impl Iterator<Item = (u32, &'s N)>,
    faults: &Faults,
) -> Vec<(u32, &'s N)> {
    let mut entries: Vec<_> = records.collect();
    // FAULT(walk-omits-newest): the listing lags one write behind, so the newest record is missing.
    if faults.is_active(Fault::WalkOmitsNewest) {
        entries.pop();
    }
    entries
}

// After `page_args!`, which they use: a `macro_rules!` is visible only below its definition.
mod records;
mod roots;
