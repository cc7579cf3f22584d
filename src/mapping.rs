//! Which file column holds which field. Associations are found automatically (exact key,
//! synonyms, then a fuzzy match with a confidence) and may be changed by the operator.

use crate::fields::{FIELDS, Field, Target, normalise_header};
use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};

mod by_values;
mod names;
pub use by_values::SAMPLE;

/// How a column got its target, which says how much to trust it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The header is the field's key (or the custom field's exact name).
    Exact,
    Synonym,
    /// A header that often but not always means the field.
    Weak,
    Fuzzy,
    /// Chosen by the operator or a profile.
    Chosen,
    /// Ignored by the operator's choice.
    Ignored,
    Unmapped,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub header: String,
    pub target: Option<Target>,
    /// 0..=1; `None` for unmapped columns.
    pub confidence: Option<f64>,
    pub how: MatchKind,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    pub columns: Vec<ColumnMapping>,
}

const EXACT: f64 = 1.0;
const SYNONYM: f64 = 0.95;
const WEAK: f64 = 0.6;
/// Fuzzy matches score between these, by similarity.
const FUZZY_MAX: f64 = 0.85;
const FUZZY_MIN: f64 = 0.5;
/// Similarity (normalised Damerau-Levenshtein) below which headers are not related.
const SIMILARITY_FLOOR: f64 = 0.8;
/// A header longer than this (normalised) is not a field's name, and is not held against the
/// names one by one: the longest name is far shorter, so nothing could match it anyway, and a
/// header of a megabyte would cost its length for each of them.
const LONGEST_HEADER: usize = 256;

impl Mapping {
    /// Associates each header with its most likely target; no target is given to two columns.
    pub fn auto(headers: &[String], workspace: &Workspace) -> Mapping {
        let mut candidates: Vec<(f64, usize, Target, MatchKind)> = Vec::new();
        for (column, header) in headers.iter().enumerate() {
            candidates.extend(
                candidates_for(header, workspace)
                    .into_iter()
                    .map(|(target, score, how)| (score, column, target, how)),
            );
        }
        // Best first; on a tie, the leftmost column and the earlier field win, so the result
        // does not depend on anything but the headers.
        candidates.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.cmp(&b.1))
                .then_with(|| a.2.cmp(&b.2))
        });
        let mut columns: Vec<ColumnMapping> = headers
            .iter()
            .map(|header| ColumnMapping {
                header: header.clone(),
                target: None,
                confidence: None,
                how: MatchKind::Unmapped,
            })
            .collect();
        let mut taken: Vec<Target> = Vec::new();
        for (score, column, target, how) in candidates {
            if columns[column].target.is_some() || taken.contains(&target) {
                continue;
            }
            taken.push(target.clone());
            columns[column] = ColumnMapping {
                header: headers[column].clone(),
                target: Some(target),
                confidence: Some(score),
                how,
            };
        }
        Mapping { columns }
    }

    /// Points `column` at `target` (or at nothing), as the operator chose.
    pub fn set(&mut self, column: usize, target: Option<Target>) {
        if let Some(col) = self.columns.get_mut(column) {
            col.how = if target.is_some() {
                MatchKind::Chosen
            } else {
                MatchKind::Ignored
            };
            col.confidence = target.as_ref().map(|_| 1.0);
            col.target = target;
        }
    }

    /// Maps columns by hand on top of this mapping: each (header, target or `None` to ignore
    /// the column). Returns a problem for each header the file does not have.
    pub fn override_columns(&mut self, overrides: &[(String, Option<Target>)]) -> Vec<String> {
        let mut problems = Vec::new();
        for (header, target) in overrides {
            match self.find_header(header) {
                Some(column) => self.set(column, target.clone()),
                None => problems.push(format!(
                    "there is no column {header:?} to map (columns: {})",
                    self.headers().join(", ")
                )),
            }
        }
        problems
    }

    /// The column with this header: exactly, else ignoring case and punctuation.
    pub fn find_header(&self, header: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.header == header)
            .or_else(|| {
                let norm = normalise_header(header);
                self.columns
                    .iter()
                    .position(|c| normalise_header(&c.header) == norm)
            })
    }

    pub fn column_of(&self, target: &Target) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.target.as_ref() == Some(target))
    }

    pub fn headers(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.header.clone()).collect()
    }

    pub fn unmapped(&self) -> impl Iterator<Item = &ColumnMapping> {
        self.columns.iter().filter(|c| c.target.is_none())
    }

    /// What makes this mapping unusable for the file: a target given to two columns, or a
    /// custom field the workspace does not define.
    pub fn problems(&self, workspace: &Workspace) -> Vec<String> {
        let mut problems = Vec::new();
        for (i, col) in self.columns.iter().enumerate() {
            let Some(target) = &col.target else { continue };
            if let Some(first) = self.columns[..i]
                .iter()
                .find(|c| c.target.as_ref() == Some(target))
            {
                problems.push(format!(
                    "columns {:?} and {:?} are both mapped to {target}; map one of them elsewhere \
                     or ignore it",
                    first.header, col.header
                ));
            }
            if let Target::Custom(name) = target
                && !workspace.fields.contains_key(name)
            {
                problems.push(format!(
                    "column {:?} is mapped to custom field {name:?}, which the workspace does not \
                     define (intake workspace field add {name:?} --type ...)",
                    col.header
                ));
            }
        }
        problems
    }

    /// The column of every field, for quick lookups while checking rows.
    pub fn index(&self) -> ColumnIndex {
        let mut index = ColumnIndex {
            fields: [None; FIELDS.len()],
            mapped: Vec::new(),
            custom: Vec::new(),
        };
        for (column, col) in self.columns.iter().enumerate() {
            match &col.target {
                Some(Target::Field(field)) => {
                    let slot = &mut index.fields[*field as usize];
                    if slot.is_none() {
                        *slot = Some(column);
                    }
                }
                Some(Target::Custom(name)) => index.custom.push((name.clone(), column)),
                None => {}
            }
        }
        index.mapped = Field::all()
            .filter_map(|f| index.column(f).map(|c| (f, c)))
            .collect();
        index
    }
}

/// Where each field is in a row of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnIndex {
    fields: [Option<usize>; FIELDS.len()],
    /// The mapped fields and their columns, in field order: every line goes through them.
    mapped: Vec<(Field, usize)>,
    pub custom: Vec<(String, usize)>,
}

impl ColumnIndex {
    pub fn column(&self, field: Field) -> Option<usize> {
        self.fields[field as usize]
    }

    pub fn is_mapped(&self, field: Field) -> bool {
        self.column(field).is_some()
    }

    /// The mapped fields, in field order.
    pub fn mapped(&self) -> impl Iterator<Item = (Field, usize)> + '_ {
        self.mapped.iter().copied()
    }

    /// What a column is mapped to, if anything.
    pub fn target(&self, column: usize) -> Option<Target> {
        if let Some(&(field, _)) = self.mapped.iter().find(|&&(_, c)| c == column) {
            return Some(Target::Field(field));
        }
        self.custom
            .iter()
            .find(|(_, c)| *c == column)
            .map(|(name, _)| Target::Custom(name.clone()))
    }
}

/// A synonym behind the prefix of an address (`Billing City`): a little below a plain one, so
/// that a file with both `City` and `Billing City` keeps the plain one where it is.
const PREFIXED: f64 = 0.9;

/// The fields of an address, which systems name after the address they belong to.
const ADDRESS_FIELDS: [Field; 5] = [
    Field::Address,
    Field::Zip,
    Field::City,
    Field::State,
    Field::Country,
];

/// Prefixes (normalised) of the address invoices go to, as exports write them: Salesforce's
/// `BillingCity`, Xero's `POCity` (postal address), Recurly's `account_city`, Pipedrive's
/// `Organization - Address`, HubSpot's `Company City`, `adrzip`, `Rechnungsadresse Ort`.
const BILLING: [&str; 23] = [
    "billingaddress",
    "address",
    "billing",
    "billto",
    "bill",
    "invoiceaddress",
    "invoicing",
    "invoice",
    "mailing",
    "po",
    "postaladdress",
    "accountaddress",
    "account",
    "organization",
    "organisation",
    "company",
    "main",
    "primary",
    "adr",
    "facturatie",
    "factuur",
    "facturation",
    "rechnungsadresse",
];

/// Prefixes of a delivery or visiting address (Xero's `SA`, street address, too).
const SHIPPING: [&str; 9] = [
    "shipping",
    "shipto",
    "ship",
    "delivery",
    "sa",
    "levering",
    "leveradres",
    "livraison",
    "lieferadresse",
];

/// The address field a (normalised) header names by its key or a synonym.
fn address_field(rest: &str) -> Option<Field> {
    if rest.len() < 2 {
        return None;
    }
    names::fields()
        .iter()
        .filter(|names| ADDRESS_FIELDS.contains(&names.field))
        .find(|names| names.key == rest || names.synonyms.iter().any(|s| s == rest))
        .map(|names| names.field)
}

/// Every target this header could mean, with a score.
fn candidates_for(header: &str, workspace: &Workspace) -> Vec<(Target, f64, MatchKind)> {
    let mut out = Vec::new();
    let norm = normalise_header(header);
    if norm.is_empty() {
        return out;
    }
    if let Some(name) = header.trim().strip_prefix("custom:")
        && workspace.fields.contains_key(name)
    {
        out.push((Target::Custom(name.to_string()), EXACT, MatchKind::Exact));
    }
    for name in workspace.fields.keys() {
        if name == header.trim() {
            out.push((Target::Custom(name.clone()), EXACT, MatchKind::Exact));
        } else if normalise_header(name) == norm {
            out.push((Target::Custom(name.clone()), SYNONYM, MatchKind::Synonym));
        }
    }
    if NOTHING_WE_STORE.contains(&norm.as_str()) {
        return out;
    }
    if SHIPPING
        .iter()
        .any(|p| norm.strip_prefix(p).and_then(address_field).is_some())
    {
        // A delivery address is not where invoices go; with no billing address in the file,
        // the operator maps it on purpose.
        return out;
    }
    // "Account state" is whether the account is open (Recurly), not a region.
    if norm != "accountstate"
        && let Some(field) = BILLING
            .iter()
            .find_map(|p| norm.strip_prefix(p).and_then(address_field))
    {
        out.push((Target::Field(field), PREFIXED, MatchKind::Synonym));
        return out;
    }
    if norm.len() > LONGEST_HEADER {
        return out;
    }
    let name = names::Name::new(&norm);
    for names in names::fields() {
        let target = Target::Field(names.field);
        if names.key == norm {
            out.push((target, EXACT, MatchKind::Exact));
            continue;
        }
        if names.synonyms.contains(&norm) {
            out.push((target, SYNONYM, MatchKind::Synonym));
            continue;
        }
        if names.weak.contains(&norm) {
            out.push((target, WEAK, MatchKind::Weak));
            continue;
        }
        // Short headers ("l", "cp") are only trusted when listed: one typo away from
        // anything.
        if norm.chars().count() < 5 {
            continue;
        }
        // Only names that could be similar enough are measured: the measure is costly.
        let best = names
            .fuzzy
            .iter()
            .filter(|candidate| names::could_be_similar(&name, candidate, SIMILARITY_FLOOR))
            .map(|candidate| strsim::normalized_damerau_levenshtein(&norm, &candidate.text))
            .fold(0.0, f64::max);
        if best >= SIMILARITY_FLOOR {
            let score = FUZZY_MIN
                + (FUZZY_MAX - FUZZY_MIN) * (best - SIMILARITY_FLOOR) / (1.0 - SIMILARITY_FLOOR);
            out.push((target, score, MatchKind::Fuzzy));
        }
    }
    if out.iter().all(|(_, _, how)| *how == MatchKind::Fuzzy) {
        // Chargebee's `customers.email`, Pipedrive's `Organization - Name`, Stripe's
        // `Business Vat ID`: the name of the record before the field's, which a near miss
        // on the whole header does not outweigh.
        if let Some(rest) = RECORD_PREFIXES
            .iter()
            .find_map(|p| norm.strip_prefix(p).filter(|rest| rest.len() >= 2))
        {
            let found: Vec<_> = candidates_for(rest, workspace)
                .into_iter()
                .filter(|(_, _, how)| *how != MatchKind::Fuzzy)
                .map(|(target, score, how)| (target, score * PREFIXED, how))
                .collect();
            if !found.is_empty() {
                out = found;
            }
        }
    }
    out
}

/// Names of the record a field belongs to, which some exports put before every field.
const RECORD_PREFIXES: [&str; 12] = [
    "customers",
    "customer",
    "accounts",
    "account",
    "organizations",
    "organization",
    "organisation",
    "company",
    "business",
    "client",
    "klant",
    "kunde",
];

/// Headers of things a customer record here does not hold, which would otherwise be taken
/// for a field one letter away (`SIRET` is not `SIREN`).
const NOTHING_WE_STORE: [&str; 8] = [
    "siret",
    "fax",
    "faxnumber",
    "iban",
    "bic",
    "website",
    "url",
    "www",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{CustomField, CustomKind};

    fn targets(headers: &[&str], workspace: &Workspace) -> Vec<Option<String>> {
        let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        Mapping::auto(&headers, workspace)
            .columns
            .into_iter()
            .map(|c| c.target.map(|t| t.key()))
            .collect()
    }

    fn keys(list: &[Option<&str>]) -> Vec<Option<String>> {
        list.iter().map(|k| k.map(String::from)).collect()
    }

    #[test]
    fn twikey_template_maps_completely() {
        let headers = [
            "customerNumber",
            "email",
            "l",
            "lastname",
            "firstname",
            "mobile",
            "companyName",
            "coc",
            "vatno",
            "address",
            "city",
            "zip",
            "country",
        ];
        let expected = [
            "customer_number",
            "email",
            "language",
            "last_name",
            "first_name",
            "mobile",
            "company_name",
            "enterprise_number",
            "vat_number",
            "address",
            "city",
            "zip",
            "country",
        ];
        let got = targets(&headers, &Workspace::default());
        assert_eq!(got, keys(&expected.map(Some)));
    }

    #[test]
    fn upflow_headers() {
        let headers = [
            "External ID",
            "Customer name",
            "Postal code",
            "Town",
            "State / Region",
            "Email of the Account Manager",
            "Workflow's name",
            "Default payment period",
            "Group name",
            "Contact email",
            "Contact first name",
            "Contact Name",
            "Contact phone",
            "Contact Position",
            "Main contact",
        ];
        let expected = [
            "customer_number",
            "company_name",
            "zip",
            "city",
            "state",
            "account_managers",
            "workflow",
            "payment_term_days",
            "parent_name",
            "contact_email",
            "contact_first_name",
            "contact_last_name",
            "contact_phone",
            "contact_position",
            "main_contact",
        ];
        assert_eq!(
            targets(&headers, &Workspace::default()),
            keys(&expected.map(Some))
        );
    }

    #[test]
    fn recurly_and_exact_online_headers() {
        let recurly = [
            "account_code",
            "account_email",
            "account_company_name",
            "account_first_name",
            "account_vat_number",
            "account_address_country",
            "account_state",
        ];
        let expected = [
            Some("customer_number"),
            Some("email"),
            Some("company_name"),
            Some("first_name"),
            Some("vat_number"),
            Some("country"),
            None,
        ];
        assert_eq!(targets(&recurly, &Workspace::default()), keys(&expected));

        let exact = [
            "Code",
            "Name",
            "Postcode",
            "VATNumber",
            "ChamberOfCommerce",
            "City",
        ];
        let expected = [
            "customer_number",
            "company_name",
            "zip",
            "vat_number",
            "enterprise_number",
            "city",
        ];
        assert_eq!(
            targets(&exact, &Workspace::default()),
            keys(&expected.map(Some))
        );
    }

    #[test]
    fn dutch_french_and_german_headers() {
        let headers = [
            "Klantnummer",
            "Numéro de TVA",
            "Straße",
            "Postleitzahl",
            "Voornaam",
        ];
        let expected = [
            "customer_number",
            "vat_number",
            "address",
            "zip",
            "first_name",
        ];
        assert_eq!(
            targets(&headers, &Workspace::default()),
            keys(&expected.map(Some))
        );
    }

    #[test]
    fn a_better_column_takes_the_field_from_a_weaker_one() {
        let got = targets(&["Customer ID", "External ID"], &Workspace::default());
        assert_eq!(got, keys(&[None, Some("customer_number")]));
    }

    #[test]
    fn typos_map_with_lower_confidence() {
        let headers = vec!["Compnay name".to_string(), "Emial adress".to_string()];
        let mapping = Mapping::auto(&headers, &Workspace::default());
        assert_eq!(
            mapping.columns[0].target,
            Some(Target::Field(Field::CompanyName))
        );
        let confidence = mapping.columns[0].confidence.unwrap();
        assert!((FUZZY_MIN..FUZZY_MAX).contains(&confidence), "{confidence}");
        assert_eq!(mapping.columns[0].how, MatchKind::Fuzzy);
        assert_eq!(mapping.columns[1].target, Some(Target::Field(Field::Email)));
    }

    #[test]
    fn unrelated_headers_stay_unmapped() {
        let got = targets(
            &["Favourite colour", "x", "Created at"],
            &Workspace::default(),
        );
        assert_eq!(got, vec![None, None, None]);
    }

    #[test]
    fn custom_fields_by_exact_name() {
        let mut workspace = Workspace::default();
        workspace.fields.insert(
            "Segment".into(),
            CustomField::new("Segment", CustomKind::Text, vec![]).unwrap(),
        );
        let got = targets(&["Segment", "custom:Segment"], &workspace);
        assert_eq!(got, keys(&[Some("custom:Segment"), None]));
    }

    #[test]
    fn duplicate_targets_are_a_problem() {
        let headers = vec!["email".to_string(), "mail".to_string()];
        let mut mapping = Mapping::auto(&headers, &Workspace::default());
        assert!(mapping.problems(&Workspace::default()).is_empty());
        mapping.set(1, Some(Target::Field(Field::Email)));
        let problems = mapping.problems(&Workspace::default());
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("\"email\" and \"mail\""),
            "{problems:?}"
        );
    }
}

#[cfg(test)]
mod real_headers {
    //! Headers of the documented exports of the systems operators come from.
    use super::*;

    fn map(headers: &[&str]) -> Vec<(String, Option<String>)> {
        let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        Mapping::auto(&headers, &Workspace::default())
            .columns
            .into_iter()
            .map(|c| (c.header, c.target.map(|t| t.key())))
            .collect()
    }

    fn expect(pairs: &[(&str, Option<&str>)]) {
        let headers: Vec<&str> = pairs.iter().map(|(h, _)| *h).collect();
        for ((header, got), (_, want)) in map(&headers).into_iter().zip(pairs) {
            assert_eq!(got.as_deref(), *want, "{header}");
        }
    }

    #[test]
    fn salesforce_data_loader_names_in_capitals() {
        expect(&[
            ("NAME", Some("company_name")),
            ("ACCOUNTNUMBER", Some("customer_number")),
            ("BILLINGSTREET", Some("address")),
            ("BILLINGCITY", Some("city")),
            ("BILLINGSTATE", Some("state")),
            ("BILLINGPOSTALCODE", Some("zip")),
            ("BILLINGCOUNTRY", Some("country")),
            ("SHIPPINGSTREET", None),
            ("SHIPPINGCITY", None),
            ("PHONE", Some("phone")),
            ("FAX", None),
            ("WEBSITE", None),
            ("OWNERID", None),
        ]);
    }

    #[test]
    fn salesforce_report_labels() {
        expect(&[
            ("Account Name", Some("company_name")),
            ("Billing Street", Some("address")),
            ("Billing City", Some("city")),
            ("Billing State/Province", Some("state")),
            ("Billing Zip/Postal Code", Some("zip")),
            ("Billing Country", Some("country")),
            ("Account Number", Some("customer_number")),
            ("Parent Account", Some("parent_name")),
        ]);
    }

    #[test]
    fn xero_postal_address_not_street_address() {
        expect(&[
            ("AccountNumber", Some("customer_number")),
            ("EmailAddress", Some("email")),
            ("POAttentionTo", None),
            ("POAddressLine1", Some("address")),
            ("POCity", Some("city")),
            ("PORegion", Some("state")),
            ("POPostalCode", Some("zip")),
            ("POCountry", Some("country")),
            ("SAAddressLine1", None),
            ("SACity", None),
            ("PhoneNumber", Some("phone")),
            ("MobileNumber", Some("mobile")),
            ("TaxNumber", Some("vat_number")),
        ]);
    }

    #[test]
    fn business_central_with_the_belgian_enterprise_number() {
        expect(&[
            ("No.", Some("customer_number")),
            ("Name", Some("company_name")),
            ("Address", Some("address")),
            ("Address 2", None),
            ("Post Code", Some("zip")),
            ("City", Some("city")),
            ("Country/Region Code", Some("country")),
            ("Phone No.", Some("phone")),
            ("E-Mail", Some("email")),
            ("VAT Registration No.", Some("vat_number")),
            ("Enterprise No.", Some("enterprise_number")),
            ("Language Code", Some("language")),
        ]);
    }

    #[test]
    fn datev_debitoren() {
        expect(&[
            ("Konto", Some("customer_number")),
            ("Name (Adressatentyp Unternehmen)", Some("company_name")),
            ("EU-USt-IdNr.", Some("vat_number")),
            ("Straße", Some("address")),
            ("Postleitzahl", Some("zip")),
            ("Ort", Some("city")),
            ("Land", Some("country")),
            ("Telefon", Some("phone")),
            ("E-Mail", Some("email")),
        ]);
    }

    #[test]
    fn odoo_import_compatible_names() {
        expect(&[
            ("name", Some("company_name")),
            ("street", Some("address")),
            ("zip", Some("zip")),
            ("city", Some("city")),
            ("state_id", Some("state")),
            ("country_id", Some("country")),
            ("vat", Some("vat_number")),
            ("email", Some("email")),
            ("phone", Some("phone")),
            ("mobile", Some("mobile")),
            ("lang", Some("language")),
            ("ref", Some("customer_number")),
            ("user_id", None),
        ]);
    }

    #[test]
    fn hubspot_companies_and_recurly_prefixes() {
        expect(&[
            ("Company name", Some("company_name")),
            ("Company Domain Name", None),
            ("Phone Number", Some("phone")),
            ("Street Address", Some("address")),
            ("State/Region", Some("state")),
            ("Postal Code", Some("zip")),
            ("Country/Region", Some("country")),
            ("Create Date", None),
        ]);
        expect(&[
            ("account_code", Some("customer_number")),
            ("account_address1", Some("address")),
            ("account_city", Some("city")),
            ("account_state", None),
            ("account_postal_code", Some("zip")),
            ("account_phone", Some("phone")),
            ("parent_account_code", Some("parent_id")),
        ]);
        expect(&[("adrzip", Some("zip")), ("adrcity", Some("city"))]);
    }
}
