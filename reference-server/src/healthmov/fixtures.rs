//! Deterministic fixtures: two client accounts, each with a user and its own companies, departments, employees and
//! dependents. Acme has more companies than one page holds (5), so that walks cross pages; the dates put some
//! people before onboarding, some with access and some offboarded, whatever the day.

use chrono::NaiveDate;

use super::access::Window;
use super::schema;
use super::store::{Account, CompanyRecord, Data, DepartmentRecord, EmployeeRecord, id};

/// A fixture user: user name, password, client account.
pub const USERS: [(&str, &str, &str); 2] = [
    ("acme-hr", "acme-password", "acme"),
    ("globex-hr", "globex-password", "globex"),
];

/// How many companies each client of [`USERS`] starts with.
const COMPANIES: [usize; 2] = [7, 3];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The store of a new server. The seed varies the employee numbers, so that two seeds serve different data.
pub fn data(seed: u64) -> Data {
    let mut data = Data::default();
    data.accounts = USERS
        .iter()
        .map(|(username, password, client)| Account {
            username: (*username).to_owned(),
            password: (*password).to_owned(),
            client: (*client).to_owned(),
        })
        .collect();
    for ((_, _, client), count) in USERS.iter().zip(COMPANIES) {
        for n in 1..=count {
            company(&mut data, client, n, seed);
        }
    }
    data
}

fn company(data: &mut Data, client: &str, n: usize, seed: u64) {
    let title = capitalize(client);
    let company = data.next_id();
    data.companies.insert(
        company,
        CompanyRecord {
            client: client.to_owned(),
            data: schema::Company {
                id: id(company),
                name: format!("{title} Holding {n}"),
                logo_url: format!("https://example.com/{client}/{n}.png"),
                brand: Some(format!("{title} {n}")),
                external_id: Some(format!("{client}-company-{n}")),
                date_of_onboarding: Some(date(2024, 1, 1)),
                date_of_offboarding: None,
                country_alpha3_code: Some(["FRA", "ARE", "DEU"][n % 3].to_owned()),
                account_manager: Some("Jane Manager".to_owned()),
            },
        },
    );
    for (d, name) in ["Engineering", "Sales"].iter().enumerate() {
        let department = data.next_id();
        data.departments.insert(
            department,
            DepartmentRecord {
                company,
                data: schema::Department {
                    id: id(department),
                    name: (*name).to_owned(),
                    external_id: Some(format!("{client}-{n}-dept-{d}")),
                },
            },
        );
        // One employee with access and two dependents (one offboarded), and one not yet onboarded.
        let number = seed.wrapping_mul(1000).wrapping_add((n * 10 + d) as u64);
        let employee = data.next_id();
        let email = format!("employee{number}@{client}.example");
        data.employees.insert(
            employee,
            EmployeeRecord {
                id: employee,
                company,
                department: Some(department),
                employee_number: Some(format!("E{number}")),
                first_name: "Alex".to_owned(),
                last_name: Some(format!("Worker{number}")),
                email: Some(email),
                phone_number: Some("+971123456789".to_owned()),
                birthdate: Some(date(1985, 3, 14)),
                external_id: Some(format!("{client}-employee-{number}")),
                own: Window {
                    onboarding: Some(date(2024, 1, 1)),
                    offboarding: None,
                },
                ..EmployeeRecord::default()
            },
        );
        for (k, offboarding) in [None, Some(date(2024, 6, 30))].into_iter().enumerate() {
            let dependent = data.next_id();
            let info = data.next_id();
            data.employees.insert(
                dependent,
                EmployeeRecord {
                    id: dependent,
                    info_id: Some(info),
                    company,
                    parent: Some(employee),
                    first_name: ["Sam", "Robin"][k].to_owned(),
                    last_name: Some(format!("Worker{number}")),
                    email: Some(format!("dependent{k}.{number}@{client}.example")),
                    birthdate: Some(date(2010 + k as i32, 5, 1)),
                    own: Window {
                        onboarding: None,
                        offboarding,
                    },
                    ..EmployeeRecord::default()
                },
            );
        }
        let newcomer = data.next_id();
        data.employees.insert(
            newcomer,
            EmployeeRecord {
                id: newcomer,
                company,
                department: Some(department),
                employee_number: Some(format!("N{number}")),
                first_name: "Casey".to_owned(),
                last_name: Some(format!("Newcomer{number}")),
                email: Some(format!("newcomer{number}@{client}.example")),
                own: Window {
                    onboarding: Some(date(2099, 1, 1)),
                    offboarding: None,
                },
                ..EmployeeRecord::default()
            },
        );
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
