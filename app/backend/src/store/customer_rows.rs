//! How customers, contacts and touchpoints look in the store, and the conversions to and from
//! the shared domain types. Only this file knows the column names.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::customers::normalize::{credit_code_key, email_key, name_key, phone_key};
use kehu_domain::customers::types::{
    Contact, Customer, CustomerInput, CustomerKind, GeoPoint, LifecycleStage, Tag, Touchpoint, TouchpointKind,
};
use kehu_domain::customers::validate::{ValidContact, ValidTouchpoint};

use super::ids::{date_to_datetime, key_of};

pub const CUSTOMER: &str = "customer";
pub const CONTACT: &str = "contact";
pub const TOUCHPOINT: &str = "touchpoint";

#[derive(Debug, Clone, SurrealValue)]
pub struct CustomerRecord {
    pub id: RecordId,
    pub kind: String,
    pub name: String,
    pub industry: String,
    pub region: String,
    pub source: String,
    pub stage: String,
    pub owner: String,
    pub phone: String,
    pub email: String,
    pub credit_code: String,
    pub address: String,
    pub notes: String,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl CustomerRecord {
    pub fn into_customer(self) -> Customer {
        Customer {
            id: key_of(&self.id),
            // The schema asserts these values, so the fallbacks only cover a hand-edited store.
            kind: CustomerKind::parse(&self.kind).unwrap_or_default(),
            stage: LifecycleStage::parse(&self.stage).unwrap_or_default(),
            tags: self.tags.iter().filter_map(|t| Tag::from_key(t)).collect(),
            name: self.name,
            industry: self.industry,
            region: self.region,
            source: self.source,
            owner: self.owner,
            owner_name: String::new(),
            phone: self.phone,
            email: self.email,
            credit_code: self.credit_code,
            address: self.address,
            notes: self.notes,
            created_at: self.created_at,
            updated_at: self.updated_at,
            last_contact_at: self.last_contact_at,
            version: self.version,
        }
    }
}

/// A whole new customer row, canonical keys included.
#[derive(Debug, Clone, SurrealValue)]
pub struct NewCustomer {
    pub id: RecordId,
    pub kind: String,
    pub name: String,
    pub name_key: String,
    pub industry: String,
    pub region: String,
    pub source: String,
    pub stage: String,
    pub owner: String,
    pub phone: String,
    pub phone_key: String,
    pub email: String,
    pub email_key: String,
    pub credit_code: String,
    pub credit_code_key: String,
    pub address: String,
    pub notes: String,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl NewCustomer {
    /// From a validated input.
    pub fn from_input(id: RecordId, input: &CustomerInput, now: DateTime<Utc>) -> Self {
        NewCustomer {
            id,
            kind: input.kind.as_str().to_string(),
            name: input.name.clone(),
            name_key: name_key(&input.name),
            industry: input.industry.clone(),
            region: input.region.clone(),
            source: input.source.clone(),
            stage: input.stage.as_str().to_string(),
            owner: input.owner.clone(),
            phone: input.phone.clone(),
            phone_key: phone_key(&input.phone),
            email: input.email.clone(),
            email_key: email_key(&input.email),
            credit_code: input.credit_code.clone(),
            credit_code_key: credit_code_key(&input.credit_code),
            address: input.address.clone(),
            notes: input.notes.clone(),
            tags: input.tags.iter().map(Tag::key).collect(),
            created_at: now,
            updated_at: now,
            last_contact_at: None,
            version: 1,
        }
    }
}

impl NewCustomer {
    /// The customer this row makes, as the read models take it.
    pub fn as_customer(&self) -> Customer {
        CustomerRecord {
            id: self.id.clone(),
            kind: self.kind.clone(),
            name: self.name.clone(),
            industry: self.industry.clone(),
            region: self.region.clone(),
            source: self.source.clone(),
            stage: self.stage.clone(),
            owner: self.owner.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            credit_code: self.credit_code.clone(),
            address: self.address.clone(),
            notes: self.notes.clone(),
            tags: self.tags.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            last_contact_at: self.last_contact_at,
            version: self.version,
        }
        .into_customer()
    }
}

/// The fields an edit of the customer form changes. Owner, tags, timeline and creation time
/// are left alone: they have their own operations, so an edit never writes back an owner or a
/// tag list it read before someone else changed it.
#[derive(Debug, Clone, SurrealValue)]
pub struct CustomerPatch {
    pub kind: String,
    pub name: String,
    pub name_key: String,
    pub industry: String,
    pub region: String,
    pub source: String,
    pub stage: String,
    pub phone: String,
    pub phone_key: String,
    pub email: String,
    pub email_key: String,
    pub credit_code: String,
    pub credit_code_key: String,
    pub address: String,
    pub notes: String,
    pub updated_at: DateTime<Utc>,
    /// Set by the store to the expected version plus one.
    pub version: i64,
}

impl CustomerPatch {
    pub fn from_input(input: &CustomerInput, now: DateTime<Utc>) -> Self {
        CustomerPatch {
            kind: input.kind.as_str().to_string(),
            name: input.name.clone(),
            name_key: name_key(&input.name),
            industry: input.industry.clone(),
            region: input.region.clone(),
            source: input.source.clone(),
            stage: input.stage.as_str().to_string(),
            phone: input.phone.clone(),
            phone_key: phone_key(&input.phone),
            email: input.email.clone(),
            email_key: email_key(&input.email),
            credit_code: input.credit_code.clone(),
            credit_code_key: credit_code_key(&input.credit_code),
            address: input.address.clone(),
            notes: input.notes.clone(),
            updated_at: now,
            version: 0,
        }
    }
}

#[derive(Debug, SurrealValue)]
pub struct ContactRecord {
    pub id: RecordId,
    pub customer: RecordId,
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub birthday: Option<DateTime<Utc>>,
}

impl ContactRecord {
    pub fn into_contact(self) -> Contact {
        Contact {
            id: key_of(&self.id),
            customer_id: key_of(&self.customer),
            name: self.name,
            title: self.title,
            phone: self.phone,
            email: self.email,
            birthday: self.birthday.map(|b| b.date_naive()),
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub struct NewContact {
    pub id: RecordId,
    pub customer: RecordId,
    pub name: String,
    pub title: String,
    pub phone: String,
    pub phone_key: String,
    pub email: String,
    pub email_key: String,
    pub birthday: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl NewContact {
    pub fn from_valid(id: RecordId, customer: RecordId, c: &ValidContact, now: DateTime<Utc>) -> Self {
        NewContact {
            id,
            customer,
            name: c.name.clone(),
            title: c.title.clone(),
            phone: c.phone.clone(),
            phone_key: phone_key(&c.phone),
            email: c.email.clone(),
            email_key: email_key(&c.email),
            birthday: c.birthday.map(date_to_datetime),
            created_at: now,
        }
    }
}

/// The fields an edit of a contact changes.
#[derive(Debug, SurrealValue)]
pub struct ContactPatch {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub phone_key: String,
    pub email: String,
    pub email_key: String,
    pub birthday: Option<DateTime<Utc>>,
}

impl ContactPatch {
    pub fn from_valid(c: &ValidContact) -> Self {
        ContactPatch {
            name: c.name.clone(),
            title: c.title.clone(),
            phone: c.phone.clone(),
            phone_key: phone_key(&c.phone),
            email: c.email.clone(),
            email_key: email_key(&c.email),
            birthday: c.birthday.map(date_to_datetime),
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub struct TouchpointRecord {
    pub id: RecordId,
    pub customer: RecordId,
    pub kind: String,
    pub at: DateTime<Utc>,
    pub author: String,
    pub summary: String,
    pub next_step: String,
    pub next_step_on: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Who logged it (a username); none for Kehu's own notes and older rows.
    pub by: Option<String>,
    /// A visit's check-in position (all three, or none).
    pub geo_lat: Option<f64>,
    pub geo_lng: Option<f64>,
    pub geo_accuracy_m: Option<i64>,
}

impl TouchpointRecord {
    /// Logged by this user: their follow-ups count for them.
    pub fn logged_by(mut self, username: &str) -> Self {
        self.by = Some(username.to_string());
        self
    }

    /// A touchpoint that happened `at`, recorded `created_at` (later, when logged afterwards).
    pub fn from_valid(
        id: RecordId,
        customer: RecordId,
        kind: TouchpointKind,
        t: &ValidTouchpoint,
        at: DateTime<Utc>,
        created_at: DateTime<Utc>,
    ) -> Self {
        TouchpointRecord {
            id,
            customer,
            kind: kind.as_str().to_string(),
            at,
            author: t.author.clone(),
            summary: t.summary.clone(),
            next_step: t.next_step.clone(),
            next_step_on: t.next_step_on.map(date_to_datetime),
            created_at,
            by: None,
            geo_lat: t.position.map(|p| p.lat),
            geo_lng: t.position.map(|p| p.lng),
            geo_accuracy_m: t.position.map(|p| i64::from(p.accuracy_m)),
        }
    }

    pub fn into_touchpoint(self) -> Touchpoint {
        Touchpoint {
            id: key_of(&self.id),
            customer_id: key_of(&self.customer),
            kind: TouchpointKind::parse(&self.kind).unwrap_or(TouchpointKind::Note),
            at: self.at,
            author: self.author,
            summary: self.summary,
            next_step: self.next_step,
            next_step_on: self.next_step_on.map(|d| d.date_naive()),
            position: match (self.geo_lat, self.geo_lng) {
                (Some(lat), Some(lng)) => Some(GeoPoint { lat, lng, accuracy_m: self.geo_accuracy_m.unwrap_or(0).clamp(0, i64::from(u32::MAX)) as u32 }),
                _ => None,
            },
        }
    }
}

/// What the directory's search needs of each contact.
#[derive(Debug, Clone, SurrealValue)]
pub struct DirectoryContact {
    pub customer: RecordId,
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// A customer found by duplicate detection.
#[derive(Debug, SurrealValue)]
pub struct DuplicateRecord {
    pub id: RecordId,
    pub name: String,
    pub owner: String,
    pub region: String,
}
