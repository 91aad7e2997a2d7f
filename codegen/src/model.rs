//! The raw catalog model: exactly what one YAML file may say, nothing resolved.
//!
//! Every struct rejects unknown keys, so a misspelt key is an error with its
//! place instead of a silently ignored line. Cross-references (an action naming
//! a property, a level, a fragment) are plain strings here; `check` resolves
//! them into the [`crate::ir`] model. `catalog/README.md` documents each key.

use schemars::JsonSchema;
use serde::Deserialize;

/// One YAML file under `catalog/<source>/`.
///
/// A source has exactly one file with a `definition` (levels, results, record
/// format) and any number of document files, one per vendor document, each
/// with a `document` citation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    /// JSON Schema reference for editors; ignored by the generator.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// Id of the source this file belongs to (`kintone`, `slack`, `sap-btp`).
    pub source: String,
    /// Source-wide facts; present in exactly one file of the source.
    #[serde(default)]
    pub definition: Option<Definition>,
    /// The vendor document this file restates; present in every other file.
    #[serde(default)]
    pub document: Option<Document>,
    /// Remarks about the document as a whole (its own inconsistencies, say).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Complement properties (the document's glossary, or inferred ones).
    #[serde(default)]
    pub properties: Vec<Property>,
    /// Named, reusable lists of complement items, referenced as `{fragment: name}`.
    #[serde(default)]
    pub fragments: Vec<Fragment>,
    /// Modules and their actions.
    #[serde(default)]
    pub modules: Vec<Module>,
}

/// Source-wide facts.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// Human title of the source.
    pub title: String,
    /// The version of the source's catalog (`1.0.0`); deprecations cite it.
    #[serde(default)]
    pub version: Option<String>,
    /// What the source is and where its records come from.
    pub description: String,
    /// How examples and complements are written: `text` (`key: value, ...`) or
    /// `json` (one JSON object per entry).
    pub complement: ComplementFormat,
    /// For JSON sources: the field whose value is the action's name
    /// (`change_type`). Sources that identify events by rules leave it out.
    #[serde(default)]
    pub action_field: Option<String>,
    /// Services sharing this log (kintone: `Common`, `kintone`); modules name one.
    #[serde(default)]
    pub services: Vec<Named>,
    /// Levels, in the order of severity the vendor gives.
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Values of the record's result column.
    #[serde(default)]
    pub results: Vec<Named>,
    /// The record shapes in which entries arrive.
    pub record: Record,
    /// Remarks about the source as a whole.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// How a source writes its complement and examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ComplementFormat {
    /// `key: value, key: value, (key: value, ...)` text.
    Text,
    /// A JSON object whose fields are the properties.
    Json,
}

/// A name with a description (services, results).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Named {
    /// The name as logged.
    pub name: String,
    /// What it means.
    pub description: String,
}

/// A log level.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The level as logged in English (`Notice`).
    pub name: String,
    /// Other forms of the same level (`重要` in the Japanese UI).
    #[serde(default)]
    pub labels: Vec<String>,
    /// What the level means.
    pub description: String,
}

/// The shapes in which a source's records arrive.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// How records are delivered (download, API response, ...).
    pub description: String,
    /// One or more shapes (CSV columns, a JSON response, a retrieval record).
    pub formats: Vec<RecordFormat>,
}

/// One record shape.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordFormat {
    /// Short name of the shape (`csv`, `response`, `neo-v1`).
    pub name: String,
    /// What the shape is and when it occurs.
    pub description: String,
    /// Its fields or columns, in the order they usually come.
    pub fields: Vec<RecordField>,
}

/// A field of a record shape.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordField {
    /// The field's name (JSON key, or the CSV column's English name).
    pub name: String,
    /// Other names it appears under (Japanese CSV headers, say).
    #[serde(default)]
    pub labels: Vec<String>,
    /// Its value type, in the property type vocabulary plus `object`/`array`.
    #[serde(rename = "type")]
    pub ty: String,
    /// What it holds.
    pub description: String,
    /// Whether the field may be absent.
    #[serde(default)]
    pub optional: bool,
    /// Whether the fact comes from a vendor document (`true`) or is unconfirmed.
    #[serde(default = "yes")]
    pub confirmed: bool,
    /// What the field is to the generated record reader (text sources).
    #[serde(default)]
    pub role: Option<Role>,
    /// Fields of a nested object.
    #[serde(default)]
    pub fields: Vec<RecordField>,
}

/// The part a record field plays; a text source's CSV format has each once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// When it happened.
    Time,
    /// Who did it.
    User,
    /// The service that logged it.
    Service,
    /// The level.
    Level,
    /// The module.
    Module,
    /// The action.
    Action,
    /// The result.
    Result,
    /// The complement.
    Complement,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 8] = [
        Role::Time,
        Role::User,
        Role::Service,
        Role::Level,
        Role::Module,
        Role::Action,
        Role::Result,
        Role::Complement,
    ];
}

fn yes() -> bool {
    true
}

/// The vendor document a file restates.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// File name under `shared/seeds/`.
    pub file: String,
    /// The vendor's article number, where it has one.
    #[serde(default)]
    pub article: Option<String>,
    /// The document's title.
    pub title: String,
    /// Vendor and product.
    pub vendor: String,
}

/// Whether the log form (the key as logged) is shown by the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// A template such as `app id: *` or a JSON example shows it.
    Documented,
    /// The document describes it in prose only; the key is our best guess.
    Inferred,
}

/// A complement property.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Property {
    /// The key exactly as logged (`app id`, `service_id`).
    pub key: String,
    /// The value type.
    #[serde(rename = "type")]
    pub ty: PropertyType,
    /// What the property holds.
    pub description: String,
    /// Whether the key's log form is documented or inferred.
    pub form: Form,
    /// Enumerated values (`type: enum` only).
    #[serde(default)]
    pub values: Vec<Value>,
    /// Item type of a list (`type: list` only).
    #[serde(default)]
    pub items: Option<PropertyType>,
    /// Separator of a list's items as logged (`,`).
    #[serde(default)]
    pub separator: Option<String>,
    /// Largest number of characters a value may have.
    #[serde(default)]
    pub max_length: Option<usize>,
    /// A regular expression every value must match.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Whether a value longer than `max_length` is a leaked secret that must
    /// never be printed in full.
    #[serde(default)]
    pub secret: bool,
    /// JSON forms accepted for the value (`number`, `string`, `boolean`).
    #[serde(default)]
    pub json: Vec<JsonForm>,
    /// Set on a glossary entry that no action uses (kept, and flagged).
    #[serde(default)]
    pub unused: bool,
    /// For JSON sources: the record part this property gives (`time`, `user`).
    #[serde(default)]
    pub role: Option<Role>,
    /// Marks the property as deprecated.
    #[serde(default)]
    pub deprecated: Option<Deprecation>,
    /// Replaces a declaration of the same key from an earlier file (an
    /// extended catalog) instead of conflicting with it.
    #[serde(default, rename = "override")]
    pub replaces: bool,
    /// Remarks (documented inconsistencies, uncertain facts).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Value types of properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PropertyType {
    /// A numeric identifier: decimal digits.
    Id,
    /// An opaque identifier that is not a number (`U1234ABCD`).
    Code,
    /// Free text chosen by a user.
    Text,
    /// `true` or `false`.
    Bool,
    /// One of `values`.
    Enum,
    /// An absolute URL.
    Url,
    /// A file name.
    Filename,
    /// Items of `items` joined by `separator`.
    List,
    /// A point in time, as Unix seconds.
    Timestamp,
    /// A whole number that is not an identifier (a count, a period).
    Integer,
}

/// JSON value kinds a property accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum JsonForm {
    /// A JSON string.
    String,
    /// A JSON number.
    Number,
    /// A JSON `true`/`false`.
    Boolean,
}

/// One enumerated value.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Value {
    /// The value as logged.
    pub value: String,
    /// What it means.
    pub description: String,
}

/// A named list of complement items.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fragment {
    /// Name used in `{fragment: name}`.
    pub name: String,
    /// The items.
    pub complement: Vec<Item>,
}

/// A module (screen or feature) and its actions.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Module {
    /// The module as logged.
    pub name: String,
    /// The service it belongs to, for sources with services.
    #[serde(default)]
    pub service: Option<String>,
    /// What the module covers; may be left out where a file adds actions to
    /// a module declared elsewhere.
    #[serde(default)]
    pub description: Option<String>,
    /// Replaces the description and notes of a module declared in an earlier
    /// file instead of conflicting with them.
    #[serde(default, rename = "override")]
    pub replaces: bool,
    /// Other spellings of the module found in the document.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Remarks.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Its actions.
    pub actions: Vec<Action>,
}

/// An action (an event type).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// The action exactly as logged.
    pub name: String,
    /// Other names the document uses for it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// When an entry is logged.
    pub description: String,
    /// Level of every case, unless a variant says otherwise.
    #[serde(default)]
    pub level: Option<String>,
    /// Whether the complement's log form is documented or inferred.
    pub form: Form,
    /// Remarks (documented inconsistencies).
    #[serde(default)]
    pub notes: Vec<String>,
    /// The complement of an action without variants.
    #[serde(default)]
    pub complement: Option<Vec<Item>>,
    /// The document's template, verbatim, for an action without variants.
    #[serde(default)]
    pub template: Option<String>,
    /// Example complements of an action without variants.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Wrong complements of an action without variants, each with the
    /// violation code it must produce.
    #[serde(default)]
    pub counterexamples: Vec<Counterexample>,
    /// Cases whose complement or level differ.
    #[serde(default)]
    pub variants: Vec<Variant>,
    /// Rules that identify a record as this event (JSON attribute sources).
    #[serde(default)]
    pub identify: Vec<Rule>,
    /// Marks the action as deprecated.
    #[serde(default)]
    pub deprecated: Option<Deprecation>,
    /// Replaces an action of the same name declared in an earlier file (an
    /// extended catalog) instead of conflicting with it.
    #[serde(default, rename = "override")]
    pub replaces: bool,
}

/// A deprecation: since which catalog version, and what to use instead.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// The catalog version that deprecated it.
    pub since: String,
    /// Why, and what to use instead.
    pub message: String,
}

/// A case of an action.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Short name of the case (`comments`, `bulk`).
    pub name: String,
    /// When this case occurs, in the document's words restated.
    pub when: String,
    /// Level of this case, when it differs from the action's.
    #[serde(default)]
    pub level: Option<String>,
    /// The complement items, in log order.
    pub complement: Vec<Item>,
    /// The document's template, verbatim.
    #[serde(default)]
    pub template: Option<String>,
    /// Example complements.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Wrong complements, each with the violation code it must produce.
    #[serde(default)]
    pub counterexamples: Vec<Counterexample>,
    /// Remarks.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// One complement item.
///
/// Deserialized by hand (not `#[serde(untagged)]`) so that a mistake inside an
/// item is reported as itself, not as "did not match any variant".
#[derive(Debug, Clone, JsonSchema)]
#[schemars(untagged)]
pub enum Item {
    /// A required property, by key.
    Key(String),
    /// A property with options.
    Property(PropertyItem),
    /// A parenthesised, possibly repeated group of properties.
    Group(GroupItem),
    /// The items of a fragment.
    Fragment(FragmentItem),
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        use serde_yaml::Value;
        let value = Value::deserialize(deserializer)?;
        let kind = match &value {
            Value::String(key) => return Ok(Item::Key(key.clone())),
            Value::Mapping(map) => ["property", "group", "fragment"]
                .into_iter()
                .find(|k| map.contains_key(*k)),
            _ => None,
        };
        let result = match kind {
            Some("property") => serde_yaml::from_value(value).map(Item::Property),
            Some("group") => serde_yaml::from_value(value).map(Item::Group),
            Some("fragment") => serde_yaml::from_value(value).map(Item::Fragment),
            _ => {
                return Err(D::Error::custom(
                    "a complement item is a property key, or a map with `property`, `group` or `fragment`",
                ))
            }
        };
        result.map_err(D::Error::custom)
    }
}

/// A property with options.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertyItem {
    /// The property's key.
    pub property: String,
    /// Whether it may be absent.
    #[serde(default)]
    pub optional: bool,
    /// Whether the value is logged without its key (`Enable`).
    #[serde(default)]
    pub bare: bool,
}

/// A parenthesised group: `(app id: *, app name: *)`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupItem {
    /// Name of the group (`apps`).
    pub group: String,
    /// What one group stands for.
    pub description: String,
    /// Keys of the group's properties, in order.
    pub properties: Vec<String>,
    /// Fewest occurrences.
    #[serde(default)]
    pub min: usize,
    /// Most occurrences; unbounded when absent.
    #[serde(default)]
    pub max: Option<usize>,
}

/// A reference to a fragment.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FragmentItem {
    /// The fragment's name.
    pub fragment: String,
}

/// An example: a complement line (text sources) or a JSON object (json sources).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Example {
    /// Just the example.
    Plain(String),
    /// An example with a remark.
    Noted {
        /// The example.
        example: String,
        /// Why it is here (e.g. it is the document's own example).
        note: String,
    },
}

/// A wrong complement or entry and the violation it must produce.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Counterexample {
    /// The complement line or JSON object.
    pub example: String,
    /// The violation code it must produce (`value_not_allowed`).
    pub code: String,
    /// Why it is wrong.
    #[serde(default)]
    pub note: Option<String>,
}

/// Which attribute carries an SAP event's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
pub enum MessageField {
    /// `"key"`.
    #[serde(rename = "key")]
    Key,
    /// `"objectID"`.
    #[serde(rename = "objectID")]
    ObjectId,
}

/// A rule that identifies a record as an event.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The `"action"` verb (`create`, `update`, `delete`).
    pub action: String,
    /// The attribute carrying the message.
    pub field: MessageField,
    /// The message up to its placeholder (`Creating access token: `).
    pub prefix: String,
    /// Other spellings of the prefix found in the document.
    #[serde(default)]
    pub prefix_aliases: Vec<String>,
    /// The property the placeholder fills.
    pub placeholder: String,
    /// The property that scopes the event (`tenantId`, `account`), if any.
    #[serde(default)]
    pub scope: Option<String>,
    /// The `"operation"` refinement, if any.
    #[serde(default)]
    pub operation: Option<String>,
    /// When this rule applies, if the event has several.
    #[serde(default)]
    pub when: Option<String>,
    /// Events that the same rule also identifies; must be complete.
    #[serde(default)]
    pub shared_with: Vec<String>,
    /// Remarks.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// The catalog's spelling of each value of the model's enumerations: the
/// same words serde reads, written out once for every renderer and message.
impl Form {
    /// `documented` or `inferred`.
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Documented => "documented",
            Form::Inferred => "inferred",
        }
    }
}

impl PropertyType {
    /// `id`, `code`, `text`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            PropertyType::Id => "id",
            PropertyType::Code => "code",
            PropertyType::Text => "text",
            PropertyType::Bool => "bool",
            PropertyType::Enum => "enum",
            PropertyType::Url => "url",
            PropertyType::Filename => "filename",
            PropertyType::List => "list",
            PropertyType::Timestamp => "timestamp",
            PropertyType::Integer => "integer",
        }
    }
}

impl JsonForm {
    /// `string`, `number` or `boolean`.
    pub fn as_str(self) -> &'static str {
        match self {
            JsonForm::String => "string",
            JsonForm::Number => "number",
            JsonForm::Boolean => "boolean",
        }
    }
}

impl Role {
    /// `time`, `user`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Time => "time",
            Role::User => "user",
            Role::Service => "service",
            Role::Level => "level",
            Role::Module => "module",
            Role::Action => "action",
            Role::Result => "result",
            Role::Complement => "complement",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spellings are the ones serde reads.
    #[test]
    fn spellings_match_serde() {
        for t in [
            PropertyType::Id,
            PropertyType::Timestamp,
            PropertyType::Filename,
        ] {
            let read: PropertyType = serde_yaml::from_str(t.as_str()).unwrap();
            assert_eq!(read, t);
        }
        for r in Role::ALL {
            let read: Role = serde_yaml::from_str(r.as_str()).unwrap();
            assert_eq!(read, r);
        }
        for f in [JsonForm::String, JsonForm::Number, JsonForm::Boolean] {
            assert_eq!(serde_yaml::from_str::<JsonForm>(f.as_str()).unwrap(), f);
        }
        for f in [Form::Documented, Form::Inferred] {
            assert_eq!(serde_yaml::from_str::<Form>(f.as_str()).unwrap(), f);
        }
    }
}
