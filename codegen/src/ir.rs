//! The resolved catalog: what `check` produces and every renderer reads.
//!
//! Everything here has been checked: references resolve, names are unique,
//! examples fit. Renderers trust it and never re-validate. Order is the
//! catalog's own (sources by id, properties by key, modules and actions as
//! written, files taken in sorted order), so output is deterministic.

pub use crate::model::{
    ComplementFormat, Deprecation, Form, JsonForm, MessageField, PropertyType, Role,
};

/// The whole catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    /// Sources, sorted by id.
    pub sources: Vec<Source>,
}

/// One log source (`kintone`, `slack`, `sap-btp`).
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Id, as the directory is named.
    pub id: String,
    /// Human title.
    pub title: String,
    /// The catalog version of the source.
    pub version: Option<String>,
    /// What the source is.
    pub description: String,
    /// How complements and examples are written.
    pub complement: ComplementFormat,
    /// JSON field naming the action (`change_type`), for JSON sources that have one.
    pub action_field: Option<String>,
    /// Services sharing the log.
    pub services: Vec<Named>,
    /// Levels.
    pub levels: Vec<Level>,
    /// Result values.
    pub results: Vec<Named>,
    /// Record shapes.
    pub record: Record,
    /// Remarks about the source and its documents.
    pub notes: Vec<String>,
    /// The vendor documents the source restates.
    pub documents: Vec<Document>,
    /// Every property, sorted by key.
    pub properties: Vec<Property>,
    /// Modules, in catalog order.
    pub modules: Vec<Module>,
}

/// A name with a description.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    /// The name.
    pub name: String,
    /// Its meaning.
    pub description: String,
}

/// A level.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    /// English name as logged.
    pub name: String,
    /// Other forms (Japanese UI).
    pub labels: Vec<String>,
    /// Meaning.
    pub description: String,
}

/// The record shapes of a source.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// How records are delivered.
    pub description: String,
    /// The shapes.
    pub formats: Vec<RecordFormat>,
}

/// One record shape.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordFormat {
    /// Name of the shape.
    pub name: String,
    /// Description.
    pub description: String,
    /// Fields.
    pub fields: Vec<RecordField>,
}

/// A record field.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordField {
    /// Name.
    pub name: String,
    /// Other names.
    pub labels: Vec<String>,
    /// Type.
    pub ty: String,
    /// Description.
    pub description: String,
    /// May be absent.
    pub optional: bool,
    /// Confirmed by a vendor document.
    pub confirmed: bool,
    /// Its part in the generated record reader.
    pub role: Option<Role>,
    /// Nested fields.
    pub fields: Vec<RecordField>,
}

/// A vendor document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// File name under `shared/seeds/`.
    pub file: String,
    /// Article number.
    pub article: Option<String>,
    /// Title.
    pub title: String,
    /// Vendor and product.
    pub vendor: String,
    /// The catalog file restating it.
    pub catalog_file: String,
    /// Remarks on the document.
    pub notes: Vec<String>,
}

/// A complement property.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// Key as logged.
    pub key: String,
    /// Type.
    pub ty: PropertyType,
    /// Meaning.
    pub description: String,
    /// Documented or inferred log form.
    pub form: Form,
    /// Enumerated values.
    pub values: Vec<Value>,
    /// Item type of a list.
    pub items: Option<PropertyType>,
    /// List separator.
    pub separator: Option<String>,
    /// Length limit in characters.
    pub max_length: Option<usize>,
    /// Pattern every value matches.
    pub pattern: Option<String>,
    /// Longer values are leaked secrets.
    pub secret: bool,
    /// Accepted JSON forms.
    pub json: Vec<JsonForm>,
    /// Indices (into [`Source::documents`]) of the documents that declare it.
    pub documents: Vec<usize>,
    /// Remarks.
    pub notes: Vec<String>,
    /// Whether any action uses it.
    pub used: bool,
    /// The record part it gives (`time`, `user`), for JSON sources.
    pub role: Option<Role>,
    /// Its deprecation, if deprecated.
    pub deprecated: Option<Deprecation>,
}

/// An enumerated value.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// As logged.
    pub value: String,
    /// Meaning.
    pub description: String,
}

/// A module.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// As logged.
    pub name: String,
    /// Service, for sources with services.
    pub service: Option<String>,
    /// What it covers.
    pub description: String,
    /// Other spellings.
    pub aliases: Vec<String>,
    /// Remarks.
    pub notes: Vec<String>,
    /// Index of the document declaring it.
    pub document: usize,
    /// Actions.
    pub actions: Vec<Action>,
}

/// An action.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// As logged.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// When it is logged.
    pub description: String,
    /// Documented or inferred complement.
    pub form: Form,
    /// Remarks.
    pub notes: Vec<String>,
    /// Index of the document declaring it.
    pub document: usize,
    /// Distinct levels of its cases, in case order.
    pub levels: Vec<String>,
    /// Cases. An action declared without variants has one, with `name: None`.
    pub variants: Vec<Variant>,
    /// Keys of every complement property of every case, in first-use order.
    pub properties: Vec<String>,
    /// Identification rules (JSON attribute sources).
    pub rules: Vec<Rule>,
    /// Its deprecation, if deprecated.
    pub deprecated: Option<Deprecation>,
}

impl Action {
    /// Whether the action was declared with explicit cases.
    pub fn has_variants(&self) -> bool {
        self.variants.first().is_some_and(|v| v.name.is_some())
    }
}

/// A case of an action.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Name; `None` for the single case of an action without variants.
    pub name: Option<String>,
    /// When it occurs.
    pub when: Option<String>,
    /// Its level, for sources with levels.
    pub level: Option<String>,
    /// Complement items in log order, fragments expanded.
    pub items: Vec<Item>,
    /// The document's template, verbatim.
    pub template: Option<String>,
    /// Examples, each checked.
    pub examples: Vec<Example>,
    /// Wrong complements with the violation code each must produce.
    pub counterexamples: Vec<Counterexample>,
    /// Remarks.
    pub notes: Vec<String>,
}

/// A complement item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A property.
    Property {
        /// Its key.
        key: String,
        /// May be absent.
        optional: bool,
        /// Logged without its key.
        bare: bool,
    },
    /// A parenthesised, repeated group.
    Group {
        /// Group name.
        name: String,
        /// What one group stands for.
        description: String,
        /// Keys in the group.
        keys: Vec<String>,
        /// Fewest groups.
        min: usize,
        /// Most groups.
        max: Option<usize>,
    },
}

/// An example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The complement line or JSON object.
    pub text: String,
    /// Why it is there.
    pub note: Option<String>,
}

/// A wrong complement and the violation code it must produce.
#[derive(Debug, Clone, PartialEq)]
pub struct Counterexample {
    /// The complement line or JSON object.
    pub text: String,
    /// The violation code (`value_not_allowed`).
    pub code: String,
    /// Why it is wrong.
    pub note: Option<String>,
}

/// An identification rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// `"action"` verb.
    pub action: String,
    /// Message attribute.
    pub field: MessageField,
    /// Message prefix.
    pub prefix: String,
    /// Other spellings of the prefix.
    pub prefix_aliases: Vec<String>,
    /// Property filled by the placeholder.
    pub placeholder: String,
    /// Scoping property.
    pub scope: Option<String>,
    /// `"operation"` refinement.
    pub operation: Option<String>,
    /// When it applies.
    pub when: Option<String>,
    /// Other events the same rule identifies (checked complete).
    pub shared_with: Vec<String>,
    /// Remarks.
    pub notes: Vec<String>,
}

impl Source {
    /// The property with `key` (present for every key the catalog references).
    pub fn property(&self, key: &str) -> Option<&Property> {
        self.properties
            .binary_search_by(|p| p.key.as_str().cmp(key))
            .ok()
            .map(|i| &self.properties[i])
    }

    /// Every action with its module.
    pub fn actions(&self) -> impl Iterator<Item = (&Module, &Action)> {
        self.modules
            .iter()
            .flat_map(|m| m.actions.iter().map(move |a| (m, a)))
    }
}

impl MessageField {
    /// The attribute name as logged.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageField::Key => "key",
            MessageField::ObjectId => "objectID",
        }
    }
}
