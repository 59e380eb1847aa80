//! The fixture company, generated from a seed: the same seed gives the same store, byte for byte.
//!
//! The reference data (departments, locations, teams and their categories, other criteria, custom fields and their
//! groups, signature request templates, countries) is fixed; the seed chooses the people: 320 employees (ids 1 to
//! 320) with their managers, HR managers, departments, locations, dates, custom field values, documents and
//! signature requests, the leads of departments and locations, and every timestamp. Whatever the seed, the ids and
//! values the document's examples rely on hold: employee 25's email is `employee_25_email@example.com`; employee
//! 20 works in the USA and has `favorite_food` and `emergency_contact` values and signature requests waiting for a
//! signature and being processed; employees 35 and 40 mentor others; team 14 is a social club (the category of
//! `primary_social_club`); department 1 exists; every custom field type and every signature request status occurs.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Days, Months, NaiveDate, TimeZone, Utc};
use runtime::Id;
use serde_json::{Value, json};

use super::countries;
use super::schema::{self, CustomFieldTypes, EmploymentStatus, SignatureRequestStatus};
use super::store::{
    CustomFieldRecord, CustomValues, DepartmentRecord, DocumentRecord, EmployeeRecord, FileRecord,
    LocationRecord, SignatureRequestRecord, Store, StoredValue, TeamRecord, TemplateRecord, date,
};

/// How many employees the fixtures hold (ids 1 to this).
pub const EMPLOYEES: u32 = 320;

/// The fixture company's "today": the date of the document the schema transcribes. Timestamps fall before it;
/// a few start dates fall after it (hires still onboarding).
pub fn as_of() -> NaiveDate {
    date(2019, 2, 1)
}

/// The store of the fixture company for `seed`.
pub fn store(seed: u64) -> Store {
    let mut rng = Rng::new(seed);
    let mut store = Store {
        countries: countries::all(),
        ..Store::default()
    };
    reference_data(&mut store, &mut rng);
    employees(&mut store, &mut rng);
    leads(&mut store, &mut rng);
    store.next_department_id = store.departments.keys().max().map_or(1, |id| id + 1);
    store.next_location_id = store.locations.keys().max().map_or(1, |id| id + 1);
    store.next_pending_hire_id = 1;
    store
}

/// SplitMix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi.saturating_sub(lo)) + 1) as u32
    }

    /// True `percent` times in a hundred.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    pub fn date(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let days = (to - from).num_days().max(0) as u64;
        from + Days::new(self.below(days + 1))
    }

    pub fn instant(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
        let seconds = (to - from).num_seconds().max(0) as u64;
        from + chrono::Duration::seconds(self.below(seconds + 1) as i64)
    }
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// A creation time in 2015-2016 and an update time after it, before the fixtures' date.
fn stamps(rng: &mut Rng) -> (DateTime<Utc>, DateTime<Utc>) {
    let created = rng.instant(midnight(date(2015, 1, 1)), midnight(date(2016, 12, 31)));
    let updated = rng.instant(created, midnight(as_of()));
    (created, updated)
}

fn slug(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            ' ' | '-' => Some('_'),
            _ => None,
        })
        .collect()
}

const DEPARTMENTS: [&str; 15] = [
    "Engineering",
    "Sales",
    "Marketing",
    "Customer Success",
    "People Operations",
    "Finance",
    "Legal",
    "Product",
    "Design",
    "Operations",
    "IT",
    "Facilities",
    "Business Development",
    "Data Science",
    "Security",
];

/// The People Operations department: the HR managers work there.
const PEOPLE_OPERATIONS: u32 = 5;

/// (name, address, country)
const LOCATIONS: [(&str, Option<&str>, &str); 10] = [
    (
        "New York HQ",
        Some("1 World Trade Center, New York, NY 10007"),
        "USA",
    ),
    (
        "San Francisco",
        Some("575 Market St, San Francisco, CA 94105"),
        "USA",
    ),
    (
        "Denver",
        Some("1801 California St, Denver, CO 80202"),
        "USA",
    ),
    ("Toronto", Some("100 King St W, Toronto, ON M5X 1A9"), "CAN"),
    ("London", Some("30 St Mary Axe, London EC3A 8BF"), "GBR"),
    ("Berlin", Some("Unter den Linden 10, 10117 Berlin"), "DEU"),
    ("Dublin", Some("1 Grand Canal Square, Dublin 2"), "IRL"),
    ("Sydney", Some("1 Martin Place, Sydney NSW 2000"), "AUS"),
    (
        "Amsterdam",
        Some("Herengracht 500, 1017 CB Amsterdam"),
        "NLD",
    ),
    ("Remote (US)", None, "USA"),
];

const TEAM_CATEGORIES: [&str; 6] = [
    "Engineering Squads",
    "Social Clubs",
    "Committees",
    "Sales Pods",
    "Employee Resource Groups",
    "Sports Teams",
];

/// The category of social clubs, which `primary_social_club` values must belong to.
const SOCIAL_CLUBS: u32 = 2;
const ENGINEERING_SQUADS: u32 = 1;

/// (name, category): team ids are positions from 1, so team 14 is the Board Game Club.
const TEAMS: [(&str, u32); 24] = [
    ("Platform", 1),
    ("Payments", 1),
    ("Mobile", 1),
    ("Search", 1),
    ("Infrastructure", 1),
    ("Diversity Committee", 3),
    ("Safety Committee", 3),
    ("Culture Committee", 3),
    ("East Pod", 4),
    ("West Pod", 4),
    ("Enterprise Pod", 4),
    ("Book Club", 2),
    ("Running Club", 2),
    ("Board Game Club", 2),
    ("Cooking Club", 2),
    ("Photography Club", 2),
    ("Women in Tech", 5),
    ("Pride Network", 5),
    ("Parents Network", 5),
    ("Veterans Network", 5),
    ("Softball", 6),
    ("Soccer", 6),
    ("Basketball", 6),
    ("Climbing", 6),
];

const OTHER_CRITERIA: [&str; 12] = [
    "Remote",
    "Relocating",
    "People Manager",
    "Intern Program",
    "Sales Onboarding",
    "Engineering Bootcamp",
    "Visa Sponsorship",
    "Part-Time Schedule",
    "Rehire",
    "Executive",
    "Contractor Onboarding",
    "Field Staff",
];

const CUSTOM_FIELD_GROUPS: [&str; 4] = [
    "Personal Information",
    "Emergency Information",
    "Job Information",
    "Payroll",
];

const COLORS: [&str; 8] = [
    "Red", "Orange", "Yellow", "Green", "Blue", "Purple", "Black", "White",
];
const EQUIPMENT: [&str; 6] = [
    "Ergonomic Keyboard",
    "Standing Desk",
    "Second Monitor",
    "Laptop Stand",
    "Noise-Cancelling Headphones",
    "Docking Station",
];
const SHIRT_SIZES: [&str; 6] = ["XS", "S", "M", "L", "XL", "XXL"];

/// (id, name, type, group, options, team category)
type FieldSpec = (
    &'static str,
    &'static str,
    CustomFieldTypes,
    u32,
    &'static [&'static str],
    Option<u32>,
);

const CUSTOM_FIELDS: [FieldSpec; 13] = [
    (
        "1_year_anniversary",
        "1 Year Anniversary",
        CustomFieldTypes::Date,
        3,
        &[],
        None,
    ),
    (
        "address",
        "Home Address",
        CustomFieldTypes::Address,
        1,
        &[],
        None,
    ),
    (
        "bank_account_number",
        "Bank Account Number",
        CustomFieldTypes::Confirmable,
        4,
        &[],
        None,
    ),
    (
        "emergency_contact",
        "Emergency Contact",
        CustomFieldTypes::Contact,
        2,
        &[],
        None,
    ),
    (
        "engineering_squad",
        "Engineering Squad",
        CustomFieldTypes::Team,
        3,
        &[],
        Some(ENGINEERING_SQUADS),
    ),
    (
        "favorite_color",
        "Favorite Color",
        CustomFieldTypes::MultipleChoice,
        1,
        &COLORS,
        None,
    ),
    (
        "favorite_food",
        "Favorite Food",
        CustomFieldTypes::Text,
        1,
        &[],
        None,
    ),
    (
        "fully_vested",
        "Fully Vested",
        CustomFieldTypes::Date,
        4,
        &[],
        None,
    ),
    (
        "life_story",
        "Life Story",
        CustomFieldTypes::LongText,
        1,
        &[],
        None,
    ),
    ("mentor", "Mentor", CustomFieldTypes::Employee, 3, &[], None),
    (
        "primary_social_club",
        "Primary Social Club",
        CustomFieldTypes::Team,
        1,
        &[],
        Some(SOCIAL_CLUBS),
    ),
    (
        "required_equipment",
        "Required Equipment",
        CustomFieldTypes::MultipleSelect,
        3,
        &EQUIPMENT,
        None,
    ),
    (
        "t_shirt_size",
        "T-Shirt Size",
        CustomFieldTypes::MultipleChoice,
        1,
        &SHIRT_SIZES,
        None,
    ),
];

/// (name, public name)
const TEMPLATES: [(&str, Option<&str>); 8] = [
    ("Offer Letter", Some("Your Offer Letter")),
    (
        "Employee Handbook Acknowledgement",
        Some("Employee Handbook"),
    ),
    ("NDA", Some("Non-Disclosure Agreement")),
    ("I-9", None),
    ("Direct Deposit Authorization", Some("Direct Deposit Form")),
    ("Equipment Agreement", None),
    ("Remote Work Agreement", Some("Remote Work Policy")),
    ("Code of Conduct", Some("Code of Conduct")),
];

fn reference_data(store: &mut Store, rng: &mut Rng) {
    for (i, name) in DEPARTMENTS.iter().enumerate() {
        let id = i as u32 + 1;
        let (created, updated) = stamps(rng);
        store.departments.insert(
            id,
            Arc::new(DepartmentRecord {
                data: schema::Department {
                    created_at: Some(created),
                    description: Some(format!("The {name} department.")),
                    email: Some(format!("{}@example.com", slug(name))),
                    id: Some(Id::from(i64::from(id))),
                    name: Some((*name).to_owned()),
                    updated_at: Some(updated),
                },
                id,
                lead: None,
            }),
        );
    }
    for (i, (name, address, _)) in LOCATIONS.iter().enumerate() {
        let id = i as u32 + 1;
        let (created, updated) = stamps(rng);
        store.locations.insert(
            id,
            Arc::new(LocationRecord {
                data: schema::Location {
                    address: address.map(str::to_owned),
                    created_at: Some(created),
                    description: Some(format!("Our {name} office.")),
                    email: Some(format!("{}.office@example.com", slug(name))),
                    id: Some(Id::from(i64::from(id))),
                    name: Some((*name).to_owned()),
                    updated_at: Some(updated),
                },
                id,
                lead: None,
            }),
        );
    }
    for (i, name) in TEAM_CATEGORIES.iter().enumerate() {
        let id = i as u32 + 1;
        store.team_categories.insert(
            id,
            Arc::new(schema::TeamCategory {
                id: Some(Id::from(i64::from(id))),
                name: Some((*name).to_owned()),
            }),
        );
    }
    for (i, (name, category)) in TEAMS.iter().enumerate() {
        let id = i as u32 + 1;
        let location = rng.percent(70).then(|| {
            LOCATIONS[rng.below(LOCATIONS.len() as u64) as usize]
                .0
                .to_owned()
        });
        store.teams.insert(
            id,
            Arc::new(TeamRecord {
                data: schema::Team {
                    description: Some(format!(
                        "{name}, one of our {}.",
                        TEAM_CATEGORIES[*category as usize - 1].to_lowercase()
                    )),
                    email: Some(format!("{}@example.com", slug(name))),
                    id: Some(Id::from(i64::from(id))),
                    location,
                    name: Some((*name).to_owned()),
                },
                id,
                category: *category,
            }),
        );
    }
    for (i, name) in OTHER_CRITERIA.iter().enumerate() {
        let id = i as u32 + 1;
        let (created, updated) = stamps(rng);
        store.other_criteria.insert(
            id,
            Arc::new(schema::OtherCriterion {
                created_at: Some(created),
                id: Some(Id::from(i64::from(id))),
                name: Some((*name).to_owned()),
                updated_at: Some(updated),
            }),
        );
    }
    for (i, name) in CUSTOM_FIELD_GROUPS.iter().enumerate() {
        let id = i as u32 + 1;
        store.custom_field_groups.insert(
            id,
            schema::CustomFieldGroup {
                id: Some(Id::from(i64::from(id))),
                name: Some((*name).to_owned()),
            },
        );
    }
    for (id, name, field_type, group, options, category) in CUSTOM_FIELDS {
        let (created, updated) = stamps(rng);
        let choices = matches!(
            field_type,
            CustomFieldTypes::MultipleChoice | CustomFieldTypes::MultipleSelect
        );
        store.custom_fields.insert(
            id.to_owned(),
            Arc::new(CustomFieldRecord {
                data: schema::CustomField {
                    created_at: Some(created),
                    field_type: Some(field_type),
                    id: Some(id.to_owned()),
                    multiple_choice_options: choices
                        .then(|| options.iter().map(|o| Some((*o).to_owned())).collect()),
                    name: Some(name.to_owned()),
                    updated_at: Some(updated),
                },
                field_type,
                group: Some(group),
                team_category: category,
                options: options.iter().map(|o| (*o).to_owned()).collect(),
            }),
        );
    }
    for (i, (name, public_name)) in TEMPLATES.iter().enumerate() {
        let id = i as u32 + 1;
        let (created, updated) = stamps(rng);
        store.templates.insert(
            id,
            Arc::new(TemplateRecord {
                data: schema::SignatureRequestTemplate {
                    created_at: Some(created),
                    name: Some((*name).to_owned()),
                    public_name: public_name.map(str::to_owned),
                    updated_at: Some(updated),
                },
                id,
                // Chosen once the employees exist (see `leads`).
                counter_signer: None,
            }),
        );
    }
}

const FIRST_NAMES: [&str; 48] = [
    "Aaliyah", "Ben", "Carmen", "Dmitri", "Elena", "Farah", "Gabriel", "Hana", "Isaac", "Jasmine",
    "Kenji", "Leila", "Marcus", "Nadia", "Oliver", "Priya", "Quentin", "Rosa", "Samuel", "Tanya",
    "Umar", "Valeria", "Wei", "Ximena", "Yusuf", "Zoe", "Ana", "Bruno", "Chloe", "Diego", "Emma",
    "Felix", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Luca", "Maya", "Noah", "Olga", "Pedro",
    "Ruth", "Sofia", "Theo", "Uma", "Victor", "Willa",
];
const LAST_NAMES: [&str; 40] = [
    "Adams",
    "Baker",
    "Chen",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Johnson",
    "Kowalski",
    "Lopez",
    "Murphy",
    "Nakamura",
    "O'Brien",
    "Patel",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Usman",
    "Varga",
    "Williams",
    "Xu",
    "Young",
    "Zhang",
    "Andersen",
    "Brown",
    "Costa",
    "Diaz",
    "Eriksson",
    "Fernandes",
    "Gupta",
    "Hughes",
    "Ivanova",
    "Jensen",
    "Kim",
    "Larsen",
    "Martin",
    "Nguyen",
];
const MIDDLE_NAMES: [&str; 8] = ["Lee", "Marie", "James", "Ann", "Jose", "Kai", "Rae", "Jo"];
const SUFFIXES: [&str; 3] = ["Jr.", "Sr.", "III"];
const TITLES: [&str; 22] = [
    "Account Manager",
    "Account Manager",
    "Software Engineer",
    "Software Engineer",
    "Senior Software Engineer",
    "Engineering Manager",
    "Product Manager",
    "Product Designer",
    "Sales Development Representative",
    "Account Executive",
    "Customer Success Manager",
    "Support Specialist",
    "Marketing Manager",
    "Content Strategist",
    "HR Business Partner",
    "Recruiter",
    "Financial Analyst",
    "Controller",
    "Counsel",
    "Data Scientist",
    "IT Specialist",
    "Office Manager",
];
const FOODS: [&str; 10] = [
    "Hot Dogs",
    "Chicken Nuggets",
    "Pizza",
    "Sushi",
    "Tacos",
    "Pad Thai",
    "Egg McMuffins",
    "Burritos",
    "Ramen",
    "Salad",
];
const HOBBIES: [&str; 8] = [
    "hiking",
    "board games",
    "baking bread",
    "playing the cello",
    "rock climbing",
    "reading science fiction",
    "gardening",
    "photography",
];
const DOCUMENTS: [&str; 7] = [
    "resume.pdf",
    "offer_letter.pdf",
    "w4.pdf",
    "i9.pdf",
    "direct_deposit.pdf",
    "transcript.pdf",
    "certification.pdf",
];
const STREETS: [&str; 6] = [
    "Main Street",
    "Oak Avenue",
    "Maple Drive",
    "Elm Street",
    "Cedar Lane",
    "Park Road",
];
const CITIES: [&str; 6] = [
    "Springfield",
    "Riverside",
    "Fairview",
    "Pawnee",
    "Greenville",
    "Franklin",
];
const MENTORS: [u32; 8] = [35, 40, 12, 18, 27, 44, 51, 60];

/// Ids 2 to 8 are the executives (reporting to 1), 9 to 40 the managers; 10 to 13 are the HR managers.
const EXECUTIVES: (u32, u32) = (2, 8);
const MANAGERS: (u32, u32) = (9, 40);
const HR_MANAGERS: (u32, u32) = (10, 13);

fn employees(store: &mut Store, rng: &mut Rng) {
    let mut emails = HashSet::new();
    let mut next_document = 1u32;
    let mut next_signature_request = 1u32;
    for id in 1..=EMPLOYEES {
        let (first, last) = match id {
            6 => ("Kim", "Anderson"),
            7 => ("Omar", "Farouk"),
            _ => (rng.pick(&FIRST_NAMES), rng.pick(&LAST_NAMES)),
        };
        let email = match id {
            6 => "kima@example.com".to_owned(),
            7 => "omar@example.com".to_owned(),
            25 => "employee_25_email@example.com".to_owned(),
            _ => {
                let plain = format!("{}.{}@example.com", slug(first), slug(last));
                if emails.contains(&plain) {
                    format!("{}.{}{id}@example.com", slug(first), slug(last))
                } else {
                    plain
                }
            }
        };
        emails.insert(email.clone());
        let status = match rng.below(100) {
            0..=77 => EmploymentStatus::FullTime,
            78..=83 => EmploymentStatus::PartTime,
            84..=88 => EmploymentStatus::Contractor,
            89..=91 => EmploymentStatus::Intern,
            92..=93 => EmploymentStatus::Temporary,
            _ if id <= MANAGERS.1 || id == 20 => EmploymentStatus::FullTime,
            _ => EmploymentStatus::Terminated,
        };
        let start_date =
            (rng.percent(97) || id == 20).then(|| rng.date(date(2012, 1, 1), date(2019, 6, 30)));
        let termination = match (status, start_date) {
            (EmploymentStatus::Terminated, Some(start)) if start < as_of() => {
                Some(rng.date(start, as_of()))
            }
            (EmploymentStatus::Terminated, _) => Some(rng.date(date(2018, 1, 1), as_of())),
            _ => None,
        };
        let date_of_birth = rng
            .percent(95)
            .then(|| rng.date(date(1958, 1, 1), date(2000, 12, 31)));
        let department = if (HR_MANAGERS.0..=HR_MANAGERS.1).contains(&id) {
            Some(PEOPLE_OPERATIONS)
        } else {
            rng.percent(92)
                .then(|| rng.between(1, DEPARTMENTS.len() as u32))
        };
        let location = if id == 20 {
            Some(1)
        } else {
            rng.percent(90)
                .then(|| rng.between(1, LOCATIONS.len() as u32))
        };
        let work_country_code = match location {
            Some(location) => Some(LOCATIONS[location as usize - 1].2.to_owned()),
            None if rng.percent(25) => None,
            None => Some(
                rng.pick(&["USA", "USA", "USA", "CAN", "GBR", "MEX", "BRA", "ESP"])
                    .to_owned(),
            ),
        };
        let manager = match id {
            1 => None,
            _ if id <= EXECUTIVES.1 => Some(1),
            _ if id <= MANAGERS.1 => Some(rng.between(EXECUTIVES.0, EXECUTIVES.1)),
            _ => rng.percent(96).then(|| rng.between(MANAGERS.0, MANAGERS.1)),
        };
        let hr_manager = if rng.percent(95) {
            let candidate = rng.between(HR_MANAGERS.0, HR_MANAGERS.1);
            (candidate != id).then_some(candidate)
        } else {
            None
        };
        let mut other_criteria = BTreeSet::new();
        for _ in 0..rng.below(4) {
            other_criteria.insert(rng.between(1, OTHER_CRITERIA.len() as u32));
        }
        let created = match start_date {
            Some(start) => {
                let created =
                    midnight(start) - chrono::Duration::days(i64::from(rng.between(14, 60)));
                let created =
                    created + chrono::Duration::seconds(i64::from(rng.between(0, 86_399)));
                created.min(midnight(as_of()) - chrono::Duration::days(1))
            }
            None => rng.instant(midnight(date(2015, 1, 1)), midnight(date(2018, 12, 31))),
        };
        let updated = rng.instant(created, midnight(as_of()));
        let profile_image = rng.percent(70).then(|| FileRecord {
            file_name: format!("{}_{}.jpg", slug(first), slug(last)),
            file_size: Some(rng.between(20_000, 400_000) as i32),
            path: format!("profile_images/{id}/{}_{}.jpg", slug(first), slug(last)),
        });
        let mut documents = Vec::new();
        for _ in 0..rng.below(4) {
            let name = rng.pick(&DOCUMENTS);
            let document_id = next_document;
            next_document += 1;
            let at = rng.instant(created, updated);
            documents.push(DocumentRecord {
                data: schema::Document {
                    created_at: Some(at),
                    id: Some(Id::from(i64::from(document_id))),
                    updated_at: Some(at),
                },
                file: Some(FileRecord {
                    file_name: name.to_owned(),
                    file_size: Some(rng.between(10_000, 2_000_000) as i32),
                    path: format!("documents/{document_id}/{name}"),
                }),
            });
        }
        let statuses: Vec<SignatureRequestStatus> = if id == 20 {
            vec![
                SignatureRequestStatus::WaitingForSignature,
                SignatureRequestStatus::BeingProcessed,
                SignatureRequestStatus::Completed,
            ]
        } else {
            let mut statuses: Vec<_> = (0..rng.below(4))
                .map(|_| rng.pick(&SIGNATURE_STATUSES))
                .collect();
            // Every status occurs whatever the seed.
            if let Some(&forced) = SIGNATURE_STATUSES.get(id as usize - 1) {
                statuses.insert(0, forced);
            }
            statuses
        };
        let mut signature_requests = Vec::new();
        for (n, status) in statuses.into_iter().enumerate() {
            let request_id = next_signature_request;
            next_signature_request += 1;
            let template = if id == 20 {
                n as u32 + 1
            } else {
                rng.between(1, TEMPLATES.len() as u32)
            };
            let counter_signer = if id == 20 && n == 0 {
                Some(3)
            } else {
                rng.percent(30)
                    .then(|| rng.between(EXECUTIVES.0, MANAGERS.1))
            };
            let at = rng.instant(created, updated);
            let template_name = slug(TEMPLATES[template as usize - 1].0);
            signature_requests.push(SignatureRequestRecord {
                data: schema::SignatureRequest {
                    created_at: Some(at),
                    id: Some(Id::from(i64::from(request_id))),
                    status: Some(status),
                    updated_at: Some(rng.instant(at, updated)),
                },
                template,
                counter_signer,
                file: (status == SignatureRequestStatus::Completed).then(|| FileRecord {
                    file_name: format!("{template_name}_signed.pdf"),
                    file_size: Some(rng.between(50_000, 900_000) as i32),
                    path: format!("signature_requests/{request_id}/{template_name}_signed.pdf"),
                }),
            });
        }
        let food = rng.pick(&FOODS);
        let preferred_first_name = rng
            .percent(15)
            .then(|| first.chars().take(3).collect::<String>());
        let mut record = EmployeeRecord {
            data: schema::Employee {
                about: rng.percent(60).then(|| {
                    format!(
                        "Hi, I'm {first}! I love {} and {}.",
                        food.to_lowercase(),
                        rng.pick(&HOBBIES)
                    )
                }),
                created_at: Some(created),
                date_of_birth,
                date_of_termination: termination,
                email: Some(email),
                employment_status: Some(status),
                first_name: Some(first.to_owned()),
                id: Some(Id::from(i64::from(id))),
                last_name: Some(last.to_owned()),
                middle_name: rng.percent(25).then(|| rng.pick(&MIDDLE_NAMES).to_owned()),
                personal_email: rng.percent(80).then(|| {
                    format!(
                        "{}{}{}@{}",
                        slug(first),
                        slug(last),
                        rng.between(1, 99),
                        rng.pick(&["gmail.com", "yahoo.com", "outlook.com", "proton.me"])
                    )
                }),
                phone_number: rng.percent(85).then(|| {
                    format!(
                        "+1 555-{:03}-{:04}",
                        rng.between(100, 999),
                        rng.between(0, 9999)
                    )
                }),
                preferred_first_name,
                preferred_last_name: rng.percent(3).then(|| rng.pick(&LAST_NAMES).to_owned()),
                start_date,
                suffix: rng.percent(3).then(|| rng.pick(&SUFFIXES).to_owned()),
                title: rng.percent(97).then(|| rng.pick(&TITLES).to_owned()),
                updated_at: Some(updated),
                work_country_code,
            },
            id,
            manager,
            hr_manager,
            department,
            location,
            other_criteria: other_criteria.into_iter().collect(),
            profile_image,
            documents,
            signature_requests,
            custom_values: CustomValues::new(),
        };
        record.custom_values = custom_values(store, rng, &record, food);
        store.employees.insert(id, Arc::new(record));
    }
}

const SIGNATURE_STATUSES: [SignatureRequestStatus; 6] = [
    SignatureRequestStatus::BeingProcessed,
    SignatureRequestStatus::Canceled,
    SignatureRequestStatus::Completed,
    SignatureRequestStatus::Error,
    SignatureRequestStatus::WaitingForCounterSignature,
    SignatureRequestStatus::WaitingForSignature,
];

fn custom_values(
    store: &Store,
    rng: &mut Rng,
    employee: &EmployeeRecord,
    food: &str,
) -> CustomValues {
    let id = employee.id;
    let data = &employee.data;
    let created = data.created_at.unwrap_or_default();
    let updated = data.updated_at.unwrap_or_default();
    let mut values: BTreeMap<&str, Value> = BTreeMap::new();
    if rng.percent(55) || id == 20 {
        values.insert(
            "favorite_food",
            json!(if id == 20 { "Hot Dogs" } else { food }),
        );
    }
    if rng.percent(45) || id == 20 {
        values.insert(
            "favorite_color",
            json!(if id == 20 { "Blue" } else { rng.pick(&COLORS) }),
        );
    }
    if rng.percent(30) {
        let chosen: Vec<&str> = EQUIPMENT
            .iter()
            .copied()
            .filter(|_| rng.percent(35))
            .collect();
        values.insert("required_equipment", json!(chosen));
    }
    let clubs: Vec<u32> = TEAMS
        .iter()
        .enumerate()
        .filter(|(_, (_, category))| *category == SOCIAL_CLUBS)
        .map(|(i, _)| i as u32 + 1)
        .collect();
    if rng.percent(35) {
        values.insert("primary_social_club", json!(rng.pick(&clubs)));
    }
    if employee.department == Some(1) && rng.percent(80) {
        values.insert("engineering_squad", json!(rng.between(1, 5)));
    }
    if let Some(country) = data
        .work_country_code
        .as_deref()
        .and_then(|code| store.country(code))
        && rng.percent(50)
    {
        let (state, _) = rng.pick(country.states);
        let mut address = serde_json::Map::new();
        address.insert(
            "address_line_1".to_owned(),
            json!(format!("{} {}", rng.between(1, 9999), rng.pick(&STREETS))),
        );
        if rng.percent(30) {
            address.insert(
                "address_line_2".to_owned(),
                json!(format!("Apartment {}", rng.between(1, 40))),
            );
        }
        address.insert("city".to_owned(), json!(rng.pick(&CITIES)));
        address.insert("state".to_owned(), json!(state));
        address.insert(
            "zipcode".to_owned(),
            json!(format!("{:05}", rng.between(1000, 99_999))),
        );
        address.insert("country".to_owned(), json!(country.code));
        values.insert("address", Value::Object(address));
    }
    if rng.percent(60) || id == 20 {
        let mut contact = serde_json::Map::new();
        contact.insert("first_name".to_owned(), json!(rng.pick(&FIRST_NAMES)));
        contact.insert(
            "last_name".to_owned(),
            json!(data.last_name.clone().unwrap_or_default()),
        );
        contact.insert(
            "relationship".to_owned(),
            json!(rng.pick(&countries::CONTACT_RELATIONSHIPS)),
        );
        let (email, phone) = match rng.below(3) {
            0 => (true, false),
            1 => (false, true),
            _ => (true, true),
        };
        if email {
            contact.insert(
                "email".to_owned(),
                json!(format!("contact{}@example.com", rng.between(1, 9999))),
            );
        }
        if phone {
            contact.insert(
                "phone".to_owned(),
                json!(format!(
                    "555.{:03}.{:04}",
                    rng.between(100, 999),
                    rng.between(0, 9999)
                )),
            );
        }
        values.insert("emergency_contact", Value::Object(contact));
    }
    if let Some(start) = data.start_date {
        if rng.percent(80)
            && let Some(anniversary) = start.checked_add_months(Months::new(12))
        {
            values.insert("1_year_anniversary", json!(anniversary.to_string()));
        }
        if rng.percent(30)
            && let Some(vested) = start.checked_add_months(Months::new(48))
        {
            values.insert("fully_vested", json!(vested.to_string()));
        }
    }
    if rng.percent(25) {
        let mentor = rng.pick(&MENTORS);
        if mentor != id {
            values.insert("mentor", json!(mentor));
        }
    }
    if rng.percent(20) {
        values.insert(
            "life_story",
            json!(format!(
                "{} grew up loving {}. Before joining us they spent years {}.",
                data.first_name.clone().unwrap_or_default(),
                rng.pick(&HOBBIES),
                rng.pick(&[
                    "teaching",
                    "travelling",
                    "in consulting",
                    "at a startup",
                    "in retail"
                ])
            )),
        );
    }
    if rng.percent(40) {
        values.insert(
            "bank_account_number",
            json!(format!("{:010}", rng.below(10_000_000_000))),
        );
    }
    if rng.percent(50) {
        values.insert("t_shirt_size", json!(rng.pick(&SHIRT_SIZES)));
    }
    values
        .into_iter()
        .map(|(field, value)| {
            let value_created = rng.instant(created, updated);
            let value_updated = rng.instant(value_created, updated);
            (
                field.to_owned(),
                StoredValue {
                    value,
                    created_at: value_created,
                    updated_at: value_updated,
                    value_updated_at: value_updated,
                },
            )
        })
        .collect()
}

/// Leads of departments and locations, and counter-signers of templates: people chosen among the managers.
fn leads(store: &mut Store, rng: &mut Rng) {
    for department in store.departments.values_mut() {
        Arc::make_mut(department).lead = Some(rng.between(EXECUTIVES.0, MANAGERS.1));
    }
    for location in store.locations.values_mut() {
        let lead = (location.id != 10).then(|| rng.between(MANAGERS.0, MANAGERS.1));
        Arc::make_mut(location).lead = lead;
    }
    for template in store.templates.values_mut() {
        let counter_signer = rng
            .percent(60)
            .then(|| rng.between(EXECUTIVES.0, HR_MANAGERS.1));
        Arc::make_mut(template).counter_signer = counter_signer;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_store_and_another_seed_another() {
        let a = store(7);
        assert_eq!(a, store(7));
        let b = store(8);
        assert_ne!(a, b);
        assert_eq!(a.employees.len(), b.employees.len());
    }

    #[test]
    fn the_documented_records_exist_whatever_the_seed() {
        for seed in [0, 1, 42, u64::MAX] {
            let s = store(seed);
            assert!(s.employees.len() >= 300);
            let e25 = &s.employees[&25];
            assert_eq!(
                e25.data.email.as_deref(),
                Some("employee_25_email@example.com")
            );
            let e20 = &s.employees[&20];
            assert_eq!(e20.data.work_country_code.as_deref(), Some("USA"));
            for field in ["favorite_food", "emergency_contact"] {
                assert!(e20.custom_values.contains_key(field), "{seed} {field}");
            }
            assert!(s.employees.contains_key(&35) && s.employees.contains_key(&40));
            assert_eq!(
                s.teams[&14].category,
                s.custom_fields["primary_social_club"]
                    .team_category
                    .unwrap()
            );
            assert!(s.departments.contains_key(&1));
            let usa = s.country("USA").unwrap();
            assert!(usa.has_state("IN"));
            let types: BTreeSet<_> = s.custom_fields.values().map(|f| f.field_type).collect();
            assert_eq!(types.len(), 10, "every CustomFieldTypes value");
            let statuses: BTreeSet<_> = s
                .employees
                .values()
                .flat_map(|e| e.signature_requests.iter().filter_map(|r| r.data.status))
                .collect();
            assert_eq!(statuses.len(), 6, "every SignatureRequestStatus value");
            let required = &s.custom_fields["required_equipment"].options;
            assert!(
                required.contains(&"Ergonomic Keyboard".to_owned())
                    && required.contains(&"Standing Desk".to_owned())
            );
            // Every field type has values on some employees.
            for field in s.custom_fields.keys() {
                assert!(
                    s.employees
                        .values()
                        .any(|e| e.custom_values.contains_key(field)),
                    "{seed} {field}"
                );
            }
            // References point at records that exist.
            for e in s.employees.values() {
                for id in [e.manager, e.hr_manager].into_iter().flatten() {
                    assert!(s.employees.contains_key(&id));
                }
                assert!(e.department.is_none_or(|d| s.departments.contains_key(&d)));
                assert!(e.location.is_none_or(|l| s.locations.contains_key(&l)));
            }
        }
    }

    #[test]
    fn timestamps_come_from_the_seed_and_fall_before_the_fixture_date() {
        let s = store(3);
        for e in s.employees.values() {
            let (created, updated) = (e.data.created_at.unwrap(), e.data.updated_at.unwrap());
            assert!(
                created <= updated && updated <= midnight(as_of()),
                "{}",
                e.id
            );
        }
    }
}
