//! The thin adapter from the generated resolver traits to the store and the sessions: each method checks the
//! caller, reads or writes through [`Store`] or [`Sessions`], and shapes the answer.

use std::sync::Arc;

use chrono::NaiveDate;
use runtime::{ErrorCode, FieldError, FieldResult};

use super::pagination::{self, PageArgs};
use super::schema::*;
use super::sessions::{Issued, Session, Sessions, TokenKind};
use super::store::Store;

/// The resolvers of one request: the caller's session (none for a `login`) and the day it is served on.
#[derive(Debug)]
pub struct Resolvers {
    pub store: Arc<Store>,
    pub sessions: Arc<Sessions>,
    pub session: Option<Session>,
    pub today: NaiveDate,
}

/// What a token that cannot do this gets (graphql-jwt's message).
fn not_permitted() -> FieldError {
    FieldError::new(
        ErrorCode::Forbidden,
        "You do not have permission to perform this action",
    )
}

impl Resolvers {
    /// The client account of the caller's access token.
    fn client(&self) -> FieldResult<&str> {
        match &self.session {
            Some(session) if session.kind == TokenKind::Access => Ok(&session.client),
            _ => Err(not_permitted()),
        }
    }

    fn page<C: pagination::Connection>(
        &self,
        type_name: &str,
        field: &str,
        items: &[C::Node],
        args: PageArgs<'_>,
    ) -> FieldResult<C>
    where
        C::Node: Clone,
    {
        let rule = RULES
            .field(type_name, field)
            .and_then(|r| r.pagination.as_ref());
        pagination::connection(items, args, rule, self.store.faults())
    }
}

macro_rules! page_args {
    ($args:expr) => {
        PageArgs {
            first: &$args.first,
            after: &$args.after,
            last: &$args.last,
            before: &$args.before,
        }
    };
}

fn login_payload(issued: Option<Issued>) -> LoginPayload {
    match issued {
        Some(i) => LoginPayload {
            ok: true,
            access_token: Some(i.access_token),
            access_token_expiration_date: Some(i.access_expires_at),
            refresh_token: Some(i.refresh_token),
            refresh_token_expiration_date: Some(i.refresh_expires_at),
        },
        None => LoginPayload::default(),
    }
}

impl QueryResolvers for Resolvers {
    async fn companies(&self, args: QueryCompaniesArgs) -> FieldResult<Option<CompanyConnection>> {
        let companies = self.store.companies(self.client()?);
        self.page("Query", "companies", &companies, page_args!(args))
            .map(Some)
    }

    async fn search_employee(
        &self,
        args: QuerySearchEmployeeArgs,
    ) -> FieldResult<Option<Employee>> {
        Ok(self
            .store
            .search_employee(self.client()?, &args.external_id, self.today))
    }

    async fn search_department(
        &self,
        args: QuerySearchDepartmentArgs,
    ) -> FieldResult<Option<Department>> {
        Ok(self
            .store
            .search_department(self.client()?, &args.external_id))
    }

    async fn search_company(&self, args: QuerySearchCompanyArgs) -> FieldResult<Option<Company>> {
        Ok(self.store.search_company(self.client()?, &args.external_id))
    }
}

impl MutationResolvers for Resolvers {
    async fn login(&self, args: MutationLoginArgs) -> FieldResult<Option<LoginPayload>> {
        let issued = self
            .store
            .account(&args.username, &args.password)
            .map(|account| self.sessions.login(&account.username, &account.client));
        Ok(Some(login_payload(issued)))
    }

    async fn logout(&self) -> FieldResult<Option<LogoutPayload>> {
        self.client()?;
        if let Some(session) = &self.session {
            self.sessions.logout(session);
        }
        Ok(Some(LogoutPayload { ok: true }))
    }

    async fn refresh_token(&self) -> FieldResult<Option<RefreshTokenPayload>> {
        let issued = self
            .session
            .as_ref()
            .and_then(|session| self.sessions.refresh(session).ok());
        let LoginPayload {
            ok,
            access_token,
            access_token_expiration_date,
            refresh_token,
            refresh_token_expiration_date,
        } = login_payload(issued);
        Ok(Some(RefreshTokenPayload {
            ok,
            access_token,
            access_token_expiration_date,
            refresh_token,
            refresh_token_expiration_date,
        }))
    }

    async fn create_company(
        &self,
        args: MutationCreateCompanyArgs,
    ) -> FieldResult<Option<CreateCompanyPayload>> {
        let company = self.store.create_company(self.client()?, args)?;
        Ok(Some(CreateCompanyPayload {
            company: Some(company),
        }))
    }

    async fn create_or_update_company(
        &self,
        args: MutationCreateOrUpdateCompanyArgs,
    ) -> FieldResult<Option<CreateOrUpdateCompanyPayload>> {
        let company = self.store.create_or_update_company(self.client()?, args)?;
        Ok(Some(CreateOrUpdateCompanyPayload {
            company: Some(company),
        }))
    }

    async fn create_department(
        &self,
        args: MutationCreateDepartmentArgs,
    ) -> FieldResult<Option<CreateDepartmentPayload>> {
        let department = self.store.create_department(self.client()?, args)?;
        Ok(Some(CreateDepartmentPayload {
            department: Some(department),
        }))
    }

    async fn create_or_update_employee(
        &self,
        args: MutationCreateOrUpdateEmployeeArgs,
    ) -> FieldResult<Option<CreateOrUpdateEmployeePayload>> {
        let employee = self
            .store
            .create_or_update_employee(self.client()?, args, self.today)?;
        Ok(Some(CreateOrUpdateEmployeePayload {
            employee: Some(employee),
        }))
    }

    async fn add_or_update_dependent(
        &self,
        args: MutationAddOrUpdateDependentArgs,
    ) -> FieldResult<Option<AddOrUpdateDependentPayload>> {
        let dependent = self
            .store
            .add_or_update_dependent(self.client()?, args, self.today)?;
        Ok(Some(AddOrUpdateDependentPayload {
            employee: Some(dependent),
        }))
    }

    async fn set_offboarding_date(
        &self,
        args: MutationSetOffboardingDateArgs,
    ) -> FieldResult<Option<SetOffboardingDatePayload>> {
        let employee = self
            .store
            .set_offboarding_date(self.client()?, args, self.today)?;
        Ok(Some(SetOffboardingDatePayload {
            employee: Some(employee),
        }))
    }
}

impl CompanyResolvers for Resolvers {
    async fn departments(
        &self,
        parent: &Company,
        args: CompanyDepartmentsArgs,
    ) -> FieldResult<DepartmentConnection> {
        let departments = self.store.departments(&parent.id);
        self.page("Company", "departments", &departments, page_args!(args))
    }

    async fn employees(
        &self,
        parent: &Company,
        args: CompanyEmployeesArgs,
    ) -> FieldResult<EmployeeConnection> {
        let employees = self.store.employees(Some(&parent.id), None, self.today);
        self.employee_page("Company", &employees, page_args!(args))
    }
}

impl DepartmentResolvers for Resolvers {
    async fn employees(
        &self,
        parent: &Department,
        args: DepartmentEmployeesArgs,
    ) -> FieldResult<EmployeeConnection> {
        let employees = self.store.employees(None, Some(&parent.id), self.today);
        self.employee_page("Department", &employees, page_args!(args))
    }
}

impl EmployeeResolvers for Resolvers {
    async fn dependents(
        &self,
        parent: &Employee,
        args: EmployeeDependentsArgs,
    ) -> FieldResult<EmployeeConnection> {
        let dependents = self.store.dependents(&parent.id, self.today);
        self.employee_page("Employee", &dependents, page_args!(args))
    }

    async fn dependents_infos(
        &self,
        parent: &Employee,
        args: EmployeeDependentsInfosArgs,
    ) -> FieldResult<DependentInfoConnection> {
        let infos = self.store.dependent_infos(&parent.id);
        self.page("Employee", "dependentsInfos", &infos, page_args!(args))
    }
}

impl Resolvers {
    fn employee_page(
        &self,
        type_name: &str,
        employees: &[Employee],
        args: PageArgs<'_>,
    ) -> FieldResult<EmployeeConnection> {
        let field = if type_name == "Employee" {
            "dependents"
        } else {
            "employees"
        };
        self.page(type_name, field, employees, args)
    }
}

impl super::schema::Resolvers for Resolvers {
    fn query(&self) -> &impl QueryResolvers {
        self
    }
    fn mutation(&self) -> &impl MutationResolvers {
        self
    }
    fn company(&self) -> &impl CompanyResolvers {
        self
    }
    fn department(&self) -> &impl DepartmentResolvers {
        self
    }
    fn employee(&self) -> &impl EmployeeResolvers {
        self
    }
}
