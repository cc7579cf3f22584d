//! The catalogue of canonical fields: the contract's keys, what they hold and the headers that
//! usually carry them. Mapping, validation, export and the TUI all read this one table.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A canonical field of the contract. The order is the order of export columns and of the
/// template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Id,
    CustomerNumber,
    CompanyName,
    FirstName,
    LastName,
    Email,
    CcEmail,
    Language,
    Mobile,
    EnterpriseNumber,
    VatNumber,
    Address,
    Zip,
    City,
    State,
    Country,
    AccountingCode,
    AccountManagers,
    Workflow,
    PaymentTermDays,
    ParentId,
    ParentName,
    // Added after the contract's first fields, so that the columns of an export keep their
    // places and `phone` comes last.
    Phone,
    ContactEmail,
    ContactFirstName,
    ContactLastName,
    ContactPhone,
    ContactReference,
    ContactPosition,
    MainContact,
}

/// Whether a field describes the customer or one of its contacts (a line may carry both).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Customer,
    Contact,
}

/// Static facts about a field.
pub struct FieldInfo {
    pub field: Field,
    pub key: &'static str,
    pub label: &'static str,
    pub group: Group,
    /// Header names that mean this field, in English, Dutch, French and German and as the
    /// exports of Twikey, Upflow, Recurly and Exact Online write them. Compared after
    /// [`normalise_header`], so case, accents, spaces and punctuation do not matter.
    pub synonyms: &'static [&'static str],
    /// Headers that often but not always mean this field ("Name" is a company in Exact, a
    /// person elsewhere): matched with a lower confidence.
    pub weak_synonyms: &'static [&'static str],
}

macro_rules! info {
    ($field:ident, $key:literal, $label:literal, $group:ident, [$($syn:literal),* $(,)?], [$($weak:literal),* $(,)?]) => {
        FieldInfo {
            field: Field::$field,
            key: $key,
            label: $label,
            group: Group::$group,
            synonyms: &[$($syn),*],
            weak_synonyms: &[$($weak),*],
        }
    };
}

/// Every field, in [`Field`] order.
pub static FIELDS: [FieldInfo; 30] = [
    info!(
        Id,
        "id",
        "Id (in this store)",
        Customer,
        ["intake id", "store id"],
        // Another system's key, taken for this store's only when its values are ids of it.
        ["record id", "object id", "hs object id"]
    ),
    info!(
        CustomerNumber,
        "customer_number",
        "Customer number",
        Customer,
        [
            "customerNumber",
            "customer no",
            "customer nr",
            "customer code",
            "customer ref",
            "customer reference",
            "client number",
            "client no",
            "client code",
            "debtor number",
            "debtor code",
            "account number",
            "account code",
            "external id",
            "customer external id",
            "code",
            "klantnummer",
            "klantnr",
            "klant nr",
            "klantcode",
            "debiteurnummer",
            "debiteur",
            "relatienummer",
            "numero client",
            "n client",
            "no client",
            "code client",
            "reference client",
            "kundennummer",
            "kunden nr",
            "kundennr",
            "debitorennummer",
            "debtor no",
            "customer account",
            "debiteurnr",
            "debiteur nummer",
            "relatiecode",
            "konto",
            "debitorenkonto",
            "debitorennr",
            "no client",
            "numero de client",
            "code tiers",
            "numero compte",
            "numero de compte tiers",
            "compte tiers",
        ],
        // An "ID" column may be another system's internal id rather than the customer's
        // number: it only wins when no better column is there.
        [
            "customer id",
            "client id",
            "klant id",
            "number",
            "nummer",
            "numero",
            "reference",
            "ref",
            // Business Central's and Navision's `No.`.
            "no",
            "nr"
        ]
    ),
    info!(
        CompanyName,
        "company_name",
        "Company name",
        Customer,
        [
            "companyName",
            "company",
            "company name",
            "customer name",
            "account name",
            "organisation",
            "organization",
            "organisation name",
            "business name",
            "legal name",
            "account company name",
            "bedrijf",
            "bedrijfsnaam",
            "firma",
            "firmanaam",
            "naam bedrijf",
            "organisatie",
            "klantnaam",
            "societe",
            "nom societe",
            "nom de la societe",
            "nom entreprise",
            "nom de l entreprise",
            "raison sociale",
            "entreprise",
            "firmenname",
            "unternehmen",
            "unternehmensname",
            "kundenname",
            "name adressatentyp unternehmen",
            "organization name",
            "org name",
            "relatienaam",
            "name 1",
            "customer display name",
            "nom du client",
            "raison sociale du client",
            "intitule",
            "associated company",
            "company name associated",
        ],
        [
            "name",
            "naam",
            "nom",
            "client",
            "klant",
            "customer",
            "account",
            "display name"
        ]
    ),
    info!(
        FirstName,
        "first_name",
        "First name",
        Customer,
        [
            "firstname",
            "first name",
            "given name",
            "forename",
            "account first name",
            "voornaam",
            "prenom",
            "vorname",
        ],
        []
    ),
    info!(
        LastName,
        "last_name",
        "Last name",
        Customer,
        [
            "lastname",
            "last name",
            "surname",
            "family name",
            "account last name",
            "achternaam",
            "familienaam",
            "nom de famille",
            "nachname",
            "familienname",
        ],
        []
    ),
    info!(
        Email,
        "email",
        "E-mail",
        Customer,
        [
            "email",
            "e-mail",
            "mail",
            "email address",
            "e-mail address",
            "account email",
            "emailadres",
            "e-mailadres",
            "adresse e-mail",
            "adresse email",
            "courriel",
            "e-mail-adresse",
            "emailadresse",
            "email address 1",
            "primary email",
            "e-mail 1",
            "email 1",
            "adresse electronique",
            "adresse courriel",
            "invoice email",
            "billing email",
        ],
        []
    ),
    info!(
        CcEmail,
        "cc_email",
        "CC e-mail",
        Customer,
        [
            "cc",
            "cc email",
            "cc e-mail",
            "account cc emails",
            "cc emails",
            "copy email",
            "kopie email",
            "email cc",
            "e-mail cc",
            "copie email",
        ],
        []
    ),
    info!(
        Language,
        "language",
        "Language",
        Customer,
        [
            "l",
            "lang",
            "language",
            "language code",
            "locale",
            "preferred language",
            "account preferred locale",
            "preferred locale",
            "taal",
            "langue",
            "sprache",
            "correspondence language",
            "correspondentietaal",
            "taalcode",
            "langue de correspondance",
            "sprachcode",
            "korrespondenzsprache",
        ],
        []
    ),
    info!(
        Mobile,
        "mobile",
        "Mobile",
        Customer,
        [
            "mobile",
            "mobile phone",
            "mobile number",
            "mobilephone",
            "mobile phone number",
            "cell",
            "cell phone",
            "cellphone",
            "gsm",
            "gsm nummer",
            "gsmnummer",
            "mobiel",
            "mobiel nummer",
            "mobielnummer",
            "mobiele telefoon",
            "portable",
            "telephone portable",
            "tel portable",
            "numero de portable",
            "handy",
            "handynummer",
            "mobil",
            "mobilnummer",
            "mobiltelefon",
        ],
        []
    ),
    info!(
        EnterpriseNumber,
        "enterprise_number",
        "Enterprise number",
        Customer,
        [
            "coc",
            "enterprise number",
            "company number",
            "company registration number",
            "registration number",
            "chamber of commerce",
            "chamber of commerce number",
            "chamberofcommerce",
            "kvk",
            "kvk nummer",
            "kvknummer",
            "kbo",
            "kbo nummer",
            "kbonummer",
            "ondernemingsnummer",
            "ondernemingsnr",
            "ondernemings nr",
            "kbo nr",
            "bce",
            "numero bce",
            "numero d entreprise",
            "numero entreprise",
            "siren",
            "handelsregisternummer",
            "handelsregister",
            "registernummer",
            "enterprise no",
            "company no",
            "company registration no",
            "registration no",
            "kbo bce",
            "bce kbo",
            "ondernemingsnummer kbo",
            "numero d entreprise bce",
            "kvk-nummer",
            "coc number",
            "chamber of commerce no",
        ],
        []
    ),
    info!(
        VatNumber,
        "vat_number",
        "VAT number",
        Customer,
        [
            "vatno",
            "vat",
            "vat number",
            "vat no",
            "vat id",
            "vatnumber",
            "vat registration number",
            "tax id",
            "tax number",
            "account vat number",
            "btw",
            "btw nummer",
            "btwnummer",
            "btw nr",
            "tva",
            "numero de tva",
            "numero tva",
            "n tva",
            "no tva",
            "tva intracommunautaire",
            "ust id",
            "ustid",
            "ust idnr",
            "umsatzsteuer id",
            "umsatzsteuer identifikationsnummer",
            "vat registration no",
            "vat reg no",
            "vat reg number",
            "tax ids",
            "eu ust idnr",
            "ust id nr",
            "ustidnr",
            "customer vat number",
            "n tva intracommunautaire",
            "numero de tva intracommunautaire",
            "btw-nummer",
            "btw nummer klant",
            "n identifiant tva",
            "identifiant tva",
            "numero identifiant tva",
            "vat id number",
        ],
        []
    ),
    info!(
        Address,
        "address",
        "Address",
        Customer,
        [
            "address",
            "street",
            "street address",
            "address line 1",
            "addressline1",
            "address 1",
            "account address street1",
            "adres",
            "straat",
            "straat en nummer",
            "adresse",
            "rue",
            "strasse",
            "anschrift",
            "straße",
            "strasse und hausnummer",
            "adress1",
            "adress 1",
            "adresregel 1",
            "adres 1",
            "adresse 1",
            "adresse ligne 1",
            "straatnaam",
            "address1",
            "street 1",
            "street1",
            "address line",
            "address 1 street 1",
            "rue et numero",
            "visiting address",
        ],
        []
    ),
    info!(
        Zip,
        "zip",
        "Postal code",
        Customer,
        [
            "zip",
            "zip code",
            "zipcode",
            "postal code",
            "postcode",
            "post code",
            "account address zip",
            "postnummer",
            "code postal",
            "cp",
            "postleitzahl",
            "plz",
            "npa",
            "zip postal code",
            "zip/postal code",
            "postal zip code",
            "postal code zip",
            "code postal cp",
            "billing code",
        ],
        []
    ),
    info!(
        City,
        "city",
        "City",
        Customer,
        [
            "city",
            "town",
            "account address city",
            "stad",
            "gemeente",
            "plaats",
            "woonplaats",
            "ville",
            "localite",
            "commune",
            "stadt",
            "ort",
            "town city",
            "city town",
            "city name",
            "localite ville",
            "plaats naam",
        ],
        []
    ),
    info!(
        State,
        "state",
        "State / region",
        Customer,
        [
            "state",
            "region",
            "state region",
            "province",
            "county",
            "account address state",
            "provincie",
            "regio",
            "departement",
            "bundesland",
            "state province",
            "state/province",
            "stateid",
            "state id",
            "province state",
            "region state",
        ],
        []
    ),
    info!(
        Country,
        "country",
        "Country",
        Customer,
        [
            "country",
            "country code",
            "countrycode",
            "account address country",
            "land",
            "landcode",
            "pays",
            "code pays",
            "country region",
            "country/region",
            "country region code",
            "countryid",
            "country id",
            "country name",
            "pays region",
            "land code",
            "landeskennzeichen",
            "staat",
        ],
        []
    ),
    info!(
        AccountingCode,
        "accounting_code",
        "Accounting code",
        Customer,
        [
            "accounting code",
            "accounting id",
            "ledger code",
            "ledger account",
            "gl code",
            "boekhoudcode",
            "boekhoud code",
            "code comptable",
            "compte comptable",
            "buchungscode",
            "sachkonto",
            "compte collectif",
            "collective account",
            "centralisatierekening",
        ],
        // WinBooks' centralisation account (`CENTRAL`).
        ["central"]
    ),
    info!(
        AccountManagers,
        "account_managers",
        "Account managers",
        Customer,
        [
            "account managers",
            "account manager",
            "email of the account manager",
            "account manager email",
            "account owner",
            "owner email",
            "accountmanager",
            "verantwoordelijke",
            "gestionnaire",
            "responsable",
            "betreuer",
            "kundenbetreuer",
        ],
        ["owner"]
    ),
    info!(
        Workflow,
        "workflow",
        "Workflow",
        Customer,
        [
            "workflow",
            "workflows name",
            "workflow name",
            "dunning workflow",
            "reminder workflow",
            "herinneringsworkflow",
            "flux de relance",
            "mahnworkflow",
        ],
        []
    ),
    info!(
        PaymentTermDays,
        "payment_term_days",
        "Payment term (days)",
        Customer,
        [
            "payment term",
            "payment terms",
            "payment term days",
            "default payment period",
            "payment period",
            "payment days",
            "net days",
            "due days",
            "betalingstermijn",
            "betaaltermijn",
            "delai de paiement",
            "conditions de paiement",
            "zahlungsziel",
            "zahlungsfrist",
            "paymentconditionsales",
            "net term days",
            "net terms",
            "payment term in days",
            "zahlungsziel tage",
            "delai de paiement jours",
        ],
        []
    ),
    info!(
        ParentId,
        "parent_id",
        "Parent (number or id)",
        Customer,
        [
            "parent id",
            "parent number",
            "parent customer number",
            "parent code",
            "group id",
            "groupid",
            "parentid",
            "moederbedrijf nummer",
            "hoofdklant",
            "numero maison mere",
            "mutterunternehmen nummer",
            "parent account code",
            "parent account number",
            "parent customer",
            "parent code client",
        ],
        []
    ),
    info!(
        ParentName,
        "parent_name",
        "Parent (name)",
        Customer,
        [
            "parent name",
            "parent",
            "parent company",
            "group name",
            "group",
            "moederbedrijf",
            "moedermaatschappij",
            "maison mere",
            "societe mere",
            "muttergesellschaft",
            "parent account",
            "parent account name",
            "parent organization",
            "parent organisation",
            "mutterunternehmen",
        ],
        []
    ),
    // A landline (or a company's general number) is not a mobile: Salesforce's `Phone`,
    // Odoo's `phone` and Exact's `Telefoon` sit next to a separate mobile column.
    info!(
        Phone,
        "phone",
        "Phone",
        Customer,
        [
            "phone",
            "phone number",
            "phone no",
            "phonenumber",
            "telephone",
            "telephone number",
            "tel",
            "tel nr",
            "tel no",
            "business phone",
            "office phone",
            "work phone",
            "main phone",
            "company phone",
            "account phone",
            "account address phone",
            "telefoon",
            "telefoonnummer",
            "telefoon nr",
            "tel nummer",
            "vaste telefoon",
            "numero de telephone",
            "n de telephone",
            "no de telephone",
            "telefon",
            "telefonnummer",
            "telefon nr",
            "telefon 1",
            "telefon geschaftlich",
            "telnumber",
            "tel number",
            "telephone 1",
            "phone 1",
            "telefoon 1",
            "landline",
            "vaste lijn",
            "fixe",
            "telephone fixe",
        ],
        []
    ),
    info!(
        ContactEmail,
        "contact_email",
        "Contact e-mail",
        Contact,
        [
            "contact email",
            "contact e-mail",
            "contact email address",
            "contactpersoon email",
            "email contact",
            "e-mail contact",
            "email contactpersoon",
            "kontakt email",
        ],
        []
    ),
    info!(
        ContactFirstName,
        "contact_first_name",
        "Contact first name",
        Contact,
        [
            "contact first name",
            "contact firstname",
            "contactpersoon voornaam",
            "prenom contact",
            "kontakt vorname",
        ],
        []
    ),
    info!(
        ContactLastName,
        "contact_last_name",
        "Contact last name",
        Contact,
        [
            "contact last name",
            "contact lastname",
            "contact name",
            "contact surname",
            "contactpersoon",
            "contactpersoon achternaam",
            "contactpersoon naam",
            "nom contact",
            "kontakt nachname",
            "kontakt name",
            "ansprechpartner",
        ],
        []
    ),
    info!(
        ContactPhone,
        "contact_phone",
        "Contact phone",
        Contact,
        [
            "contact phone",
            "contact telephone",
            "contact mobile",
            "contact phone number",
            "contactpersoon telefoon",
            "contactpersoon gsm",
            "telephone contact",
            "kontakt telefon",
        ],
        []
    ),
    info!(
        ContactReference,
        "contact_reference",
        "Contact reference",
        Contact,
        [
            "contact reference",
            "contact ref",
            "contact id",
            "contact external id",
            "contact code",
            "referentie contactpersoon",
            "reference contact",
            "kontakt referenz",
        ],
        []
    ),
    info!(
        ContactPosition,
        "contact_position",
        "Contact position",
        Contact,
        [
            "contact position",
            "contact role",
            "contact type",
            "position",
            "role",
            "functie",
            "rol",
            "fonction",
            "funktion",
            "rolle",
        ],
        []
    ),
    info!(
        MainContact,
        "main_contact",
        "Main contact",
        Contact,
        [
            "main contact",
            "primary contact",
            "is main contact",
            "main",
            "primary",
            "hoofdcontact",
            "hoofdcontactpersoon",
            "contact principal",
            "hauptkontakt",
            "hauptansprechpartner",
        ],
        []
    ),
];

impl Field {
    /// Every field, in order.
    pub fn all() -> impl Iterator<Item = Field> {
        FIELDS.iter().map(|info| info.field)
    }

    pub fn info(self) -> &'static FieldInfo {
        &FIELDS[self as usize]
    }

    /// The contract's key, e.g. `customer_number`.
    pub fn key(self) -> &'static str {
        self.info().key
    }

    pub fn label(self) -> &'static str {
        self.info().label
    }

    pub fn group(self) -> Group {
        self.info().group
    }

    pub fn from_key(key: &str) -> Option<Field> {
        FIELDS
            .iter()
            .find(|info| info.key == key)
            .map(|info| info.field)
    }

    /// Fields that describe the customer itself, excluding the store's id.
    pub fn customer_fields() -> impl Iterator<Item = Field> {
        Field::all().filter(|f| f.group() == Group::Customer && *f != Field::Id)
    }

    pub fn contact_fields() -> impl Iterator<Item = Field> {
        Field::all().filter(|f| f.group() == Group::Contact)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What a file column is mapped to: a canonical field or a custom field of the workspace.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Target {
    Field(Field),
    Custom(String),
}

impl Target {
    /// The name the contract uses: `customer_number`, or `custom:NAME`.
    pub fn key(&self) -> String {
        match self {
            Target::Field(field) => field.key().to_string(),
            Target::Custom(name) => format!("custom:{name}"),
        }
    }

    /// Parses a contract name back; `custom:` names are taken as they are.
    pub fn parse(key: &str) -> Option<Target> {
        match key.strip_prefix("custom:") {
            Some(name) if !name.is_empty() => Some(Target::Custom(name.to_string())),
            Some(_) => None,
            None => Field::from_key(key).map(Target::Field),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Target::Field(field) => field.label().to_string(),
            Target::Custom(name) => format!("{name} (custom)"),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

/// The form in which headers and synonyms are compared: lower case, common accents folded,
/// everything but letters and digits dropped. "Numéro de TVA" and "numero_de_tva" meet as
/// "numerodetva"; "customerNumber" and "customer_number" as "customernumber".
pub fn normalise_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for ch in header.chars().flat_map(char::to_lowercase) {
        let folded = fold_accent(ch);
        if folded.is_alphanumeric() {
            out.push(folded);
        }
    }
    out
}

/// Folds the Latin accents that occur in Dutch, French and German headers. Only used to
/// compare headers; values are never folded.
pub fn fold_accent(ch: char) -> char {
    match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ß' => 's',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn table_is_in_enum_order() {
        for (i, info) in FIELDS.iter().enumerate() {
            assert_eq!(info.field as usize, i, "{} out of order", info.key);
        }
    }

    #[test]
    fn keys_round_trip() {
        for field in Field::all() {
            assert_eq!(Field::from_key(field.key()), Some(field));
            assert_eq!(Target::parse(field.key()), Some(Target::Field(field)));
        }
        assert_eq!(
            Target::parse("custom:Segment"),
            Some(Target::Custom("Segment".into()))
        );
        assert_eq!(Target::parse("custom:"), None);
        assert_eq!(Target::parse("nonsense"), None);
    }

    #[test]
    fn no_synonym_means_two_fields() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for info in &FIELDS {
            let own = normalise_header(info.key);
            for syn in info
                .synonyms
                .iter()
                .chain(info.weak_synonyms)
                .chain([&info.key])
            {
                let norm = normalise_header(syn);
                if let Some(other) = seen.insert(norm.clone(), info.key) {
                    assert_eq!(
                        other, info.key,
                        "{norm:?} is a synonym of {other} and {}",
                        info.key
                    );
                }
            }
            assert!(!own.is_empty());
        }
    }

    #[test]
    fn headers_normalise_across_styles() {
        assert_eq!(normalise_header("Numéro de TVA"), "numerodetva");
        assert_eq!(normalise_header("customerNumber"), "customernumber");
        assert_eq!(normalise_header("customer_number"), "customernumber");
        assert_eq!(normalise_header("Workflow's name"), "workflowsname");
        assert_eq!(normalise_header("State / Region"), "stateregion");
    }
}
