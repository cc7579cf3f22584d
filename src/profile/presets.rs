//! The presets built in for the exports `intake` is usually fed from, written as tables of
//! headers and fields.

use super::Profile;
use crate::fields::{Field, Target};
use crate::source::ReadOptions;
use std::sync::LazyLock;

/// A built-in preset, as written in the table below.
struct Preset {
    name: &'static str,
    about: &'static str,
    columns: &'static [(&'static str, Option<Field>)],
}

use Field::*;

/// The presets. Headers a preset lists with `None` are columns of that export that hold
/// nothing `intake` stores: listing them keeps the layout whole, so that a file straight from
/// the system matches it, and ignores them on purpose.
static PRESETS: [Preset; 6] = [
    // `intake template twikey` writes exactly these.
    Preset {
        name: "twikey",
        about: "Twikey's customer template",
        columns: &[
            ("customerNumber", Some(CustomerNumber)),
            ("email", Some(Email)),
            ("l", Some(Language)),
            ("lastname", Some(LastName)),
            ("firstname", Some(FirstName)),
            ("mobile", Some(Mobile)),
            ("companyName", Some(CompanyName)),
            ("coc", Some(EnterpriseNumber)),
            ("vatno", Some(VatNumber)),
            ("address", Some(Address)),
            ("city", Some(City)),
            ("zip", Some(Zip)),
            ("country", Some(Country)),
        ],
    },
    // Upflow's help centre lists these columns for its customers import (one line per
    // customer). Its import lets people name columns as they like, so real files vary; this is
    // the layout of Upflow's template as we know it. Unsure: older articles call the parent
    // columns "Group name" and "Group ID", newer ones "Parent name" and "Parent ID" (and add
    // "Accounting code"); this preset keeps the older names, and the newer ones map through the
    // general synonyms when `--profile upflow-customers` is given for such a file.
    Preset {
        name: "upflow-customers",
        about: "Upflow's customers import",
        columns: &[
            ("External ID", Some(CustomerNumber)),
            ("Customer name", Some(CompanyName)),
            ("Email", Some(Email)),
            ("Language", Some(Language)),
            ("Address", Some(Address)),
            ("Postal code", Some(Zip)),
            ("Town", Some(City)),
            ("State / Region", Some(State)),
            ("Country", Some(Country)),
            ("VAT number", Some(VatNumber)),
            ("Company number", Some(EnterpriseNumber)),
            ("Email of the Account Manager", Some(AccountManagers)),
            ("Workflow's name", Some(Workflow)),
            ("Default payment period", Some(PaymentTermDays)),
            ("Group name", Some(ParentName)),
            ("Group ID", Some(ParentId)),
        ],
    },
    // Upflow's contacts import: one line per contact, linked to its customer by the customer's
    // External ID (Upflow also asks for the customer's name). Unsure: Upflow's articles word
    // the contact columns differently over time ("Contact email address", "Family name"); these
    // are the names of its combined customers-and-contacts template.
    Preset {
        name: "upflow-contacts",
        about: "Upflow's contacts import",
        columns: &[
            ("External ID", Some(CustomerNumber)),
            ("Customer name", Some(CompanyName)),
            ("Contact email", Some(ContactEmail)),
            ("Contact first name", Some(ContactFirstName)),
            ("Contact Name", Some(ContactLastName)),
            ("Contact phone", Some(ContactPhone)),
            ("Contact Position", Some(ContactPosition)),
            ("Main contact", Some(MainContact)),
        ],
    },
    // Recurly's accounts export, version 8 of its documented columns (Recurly's docs, "Accounts
    // export"). In this export `account_state` is the state of the account's address (CA), not
    // whether the account is open, which is why the preset maps it to `state` although the
    // general synonyms leave it alone. `account_phone` is the account's only phone, so it is
    // the customer's `phone`. A site whose custom fields are exported gets extra columns at the
    // end and no longer matches exactly: `--profile recurly-accounts` still applies this.
    Preset {
        name: "recurly-accounts",
        about: "Recurly's accounts export",
        columns: &[
            ("account_code", Some(CustomerNumber)),
            ("account_email", Some(Email)),
            ("account_username", None),
            ("account_company_name", Some(CompanyName)),
            ("account_first_name", Some(FirstName)),
            ("account_last_name", Some(LastName)),
            ("account_has_billing_info", None),
            ("account_created_at", None),
            ("account_address1", Some(Address)),
            ("account_address2", None),
            ("account_city", Some(City)),
            ("account_state", Some(State)),
            ("account_postal_code", Some(Zip)),
            ("account_country", Some(Country)),
            ("account_phone", Some(Phone)),
            ("account_vat_number", Some(VatNumber)),
            ("account_tax_exempt", None),
            ("modified_at", None),
            ("closed_at", None),
            ("account_acquisition_cost", None),
            ("account_acquisition_currency", None),
            ("account_acquisition_channel", None),
            ("account_acquisition_subchannel", None),
            ("account_acquisition_campaign", None),
            ("account_acquisition_created_at", None),
            ("account_acquisition_modified_at", None),
            ("location_validation_tax_type", None),
            ("account_geo_code", None),
            ("parent_account_code", Some(ParentId)),
            ("primary_payment_method", None),
            ("billing_info_id", None),
            // A campaign's code, not the workflow's name the workspace knows.
            ("dunning_campaign_code", None),
            ("dunning_campaign_id", None),
            ("preferred_locale", Some(Language)),
            ("account_api_id", None),
            ("cc_emails", Some(CcEmail)),
        ],
    },
    // Exact Online's accounts, with the field names of its API (crm/Accounts), as the sample
    // export in sample-data has them. Unsure: an export carries whichever fields it was asked
    // for; other sets of columns map through `--profile exact-accounts` (known columns) and the
    // general synonyms (the rest).
    Preset {
        name: "exact-accounts",
        about: "Exact Online accounts",
        columns: &[
            ("Code", Some(CustomerNumber)),
            ("Name", Some(CompanyName)),
            ("AddressLine1", Some(Address)),
            ("Postcode", Some(Zip)),
            ("City", Some(City)),
            ("Country", Some(Country)),
            ("Email", Some(Email)),
            ("Phone", Some(Phone)),
            ("VATNumber", Some(VatNumber)),
            ("ChamberOfCommerce", Some(EnterpriseNumber)),
            ("Language", Some(Language)),
            ("Created", None),
        ],
    },
    // Teamleader Focus's companies export, with the labels of its company fields in English.
    // Unsure: the export's columns are chosen in a template by the user, and we found no
    // published list of the default ones; these follow the fields of a Teamleader company.
    // Teamleader keeps a company's invoicing e-mail beside its main e-mail: invoices go to the
    // former, so it is the customer's `cc_email` (this is no general synonym: elsewhere an
    // "invoicing email" may be the only address). Its ID is the company's stable reference, so
    // it is the customer number that re-imports match on. The account manager is a
    // Teamleader user's name, not the member e-mail `intake` expects, so it is ignored.
    Preset {
        name: "teamleader-companies",
        about: "Teamleader Focus companies export",
        columns: &[
            ("Teamleader ID", Some(CustomerNumber)),
            ("Name", Some(CompanyName)),
            ("Business type", None),
            ("VAT number", Some(VatNumber)),
            ("Company number", Some(EnterpriseNumber)),
            ("Email", Some(Email)),
            ("Invoicing email", Some(CcEmail)),
            ("Phone", Some(Phone)),
            ("Website", None),
            ("Address line 1", Some(Address)),
            ("Postal code", Some(Zip)),
            ("City", Some(City)),
            ("Country", Some(Country)),
            ("Language", Some(Language)),
            ("Tags", None),
            ("Account manager", None),
        ],
    },
];

static PRESET_PROFILES: LazyLock<Vec<Profile>> = LazyLock::new(|| {
    PRESETS
        .iter()
        .map(|preset| Profile {
            name: preset.name.to_string(),
            headers: preset.columns.iter().map(|(h, _)| h.to_string()).collect(),
            columns: preset
                .columns
                .iter()
                .map(|(h, field)| (h.to_string(), field.map(Target::Field)))
                .collect(),
            options: ReadOptions::default(),
            builtin: true,
        })
        .collect()
});

/// The built-in presets.
pub fn presets() -> &'static [Profile] {
    &PRESET_PROFILES
}

pub fn preset(name: &str) -> Option<&'static Profile> {
    presets().iter().find(|p| p.name == name)
}

/// What a preset is for ("Twikey's customer template").
pub fn preset_about(name: &str) -> Option<&'static str> {
    PRESETS.iter().find(|p| p.name == name).map(|p| p.about)
}
