//! How a source's records arrive, by the kind of source: CSV rows of a text
//! source, JSON entries named by an action field, or JSON attribute records
//! identified by rules.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, type_ident};
use crate::ir::{self, MessageField, Role};

/// The field of the first record format that plays `role`.
fn role_field(source: &ir::Source, role: Role) -> (usize, &ir::RecordField) {
    source.record.formats[0]
        .fields
        .iter()
        .enumerate()
        .find(|(_, f)| f.role == Some(role))
        .expect("the checker requires every role of a text source")
}

/// `Known<T>` when the source declares members of `T`, plain text otherwise.
fn known_or_text(has: bool, ty: TokenStream) -> (TokenStream, TokenStream) {
    if has {
        (quote! { Known<#ty> }, quote! { Known::parse })
    } else {
        (quote! { String }, quote! { str::to_owned })
    }
}

/// CSV records of a text source (cybozu.com's audit log).
pub(super) fn text_records(source: &ir::Source) -> TokenStream {
    let format = &source.record.formats[0];
    let columns = format.fields.iter().map(|f| {
        let name = &f.name;
        let labels = &f.labels;
        quote! { Column { name: #name, labels: &[#(#labels),*] } }
    });
    let idx = |role| {
        let (i, _) = role_field(source, role);
        i
    };
    let [time, user, service, level, module, action, result, complement] = Role::ALL.map(idx);
    let col_names = Role::ALL.map(|r| role_field(source, r).1.name.clone());
    let [time_name, user_name, service_name, level_name, module_name, action_name, result_name, complement_name] =
        col_names;
    let (service_ty, service_read) = known_or_text(!source.services.is_empty(), quote! { Service });
    let (level_ty, level_read) = known_or_text(!source.levels.is_empty(), quote! { Level });
    let (result_ty, result_read) = known_or_text(!source.results.is_empty(), quote! { Outcome });
    let has_services = !source.services.is_empty();
    let has_levels = !source.levels.is_empty();
    let module_read = if has_services {
        quote! {
            match service.known() {
                Some(s) => Module::find_in(s, module_text).map_or_else(|| Known::Unknown(module_text.to_owned()), Known::Known),
                None => Known::parse(module_text),
            }
        }
    } else {
        quote! { Known::parse(module_text) }
    };
    let service_check = has_services.then(|| {
        quote! {
            if let (Known::Unknown(s), true) = (&self.service, self.has(#service_name)) {
                out.push(Violation::new(Code::UnknownService, #service_name, format!("unknown service `{s}`")));
            }
        }
    });
    let level_check = has_levels.then(|| {
        quote! {
            match (&self.level, &self.event) {
                (Known::Unknown(l), _) if self.has(#level_name) => out.push(Violation::new(Code::UnknownLevel, #level_name, format!("unknown level `{l}`"))),
                (Known::Known(logged), Some(Ok(event))) if *logged != event.level() => out.push(Violation::new(
                    Code::LevelMismatch,
                    #level_name,
                    format!("logged at `{logged}`, but `{}` is logged at `{}` in this case", event.action(), event.level()),
                )),
                _ => {}
            }
        }
    });
    let result_check = (!source.results.is_empty()).then(|| {
        quote! {
            if let (Known::Unknown(r), true) = (&self.result, self.has(#result_name)) {
                out.push(Violation::new(Code::UnknownResult, #result_name, format!("unknown result `{r}`")));
            }
        }
    });
    let title = &source.title;
    let record_doc = doc(&format!(
        "One record of the {title}, typed, with nothing of the row lost."
    ));
    quote! {
        use rt::csv::{Column, CsvError, CsvReader, RowRef};
        use rt::text::Text;
        use rt::time::Timestamp;
        use rt::violation::Code;

        /// The CSV columns, with every header text each may appear under.
        pub const COLUMNS: &[Column] = &[#(#columns),*];

        #record_doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct Record {
            /// 1-based number of the record in the file.
            pub record: u64,
            /// 1-based line where the record starts.
            pub line: u64,
            /// When it happened, if the time could be read.
            pub time: Option<Timestamp>,
            /// The time as logged.
            pub time_text: Text,
            /// Who did it.
            pub user: Text,
            /// The service that logged it.
            pub service: #service_ty,
            /// The level.
            pub level: #level_ty,
            /// The module.
            pub module: Known<Module>,
            /// The action, found in its module or, failing that, anywhere.
            pub action: Known<Action>,
            /// The result.
            pub result: #result_ty,
            /// The complement as logged.
            pub complement: String,
            /// The typed complement when the action is known, or why it cannot be read.
            pub event: Option<Result<Event, Violation>>,
            /// Columns the catalog does not know, as `(header, value)`.
            pub extra: Vec<(String, String)>,
            /// Known columns that the file lacks.
            pub missing: Vec<&'static str>,
            /// Whether the row has more or fewer fields than the header.
            pub ragged: bool,
        }

        impl Record {
            /// Types one CSV row, copying only the texts the record keeps.
            pub fn from_row(row: &RowRef<'_>, missing: &[usize]) -> Record {
                let text = |i: usize| row.value(i).unwrap_or_default();
                let time_text = text(#time);
                let module_text = text(#module);
                let action_text = text(#action);
                let service = #service_read(text(#service));
                let module: Known<Module> = #module_read;
                let action = match module.known().and_then(|m| Action::find_in(m, action_text)) {
                    Some(a) => Known::Known(a),
                    None => Known::parse(action_text),
                };
                let complement = text(#complement);
                let event = action.known().map(|a| Event::parse(a, complement));
                Record {
                    record: row.record,
                    line: row.line,
                    time: Timestamp::parse(time_text).ok(),
                    time_text: time_text.into(),
                    user: text(#user).into(),
                    service,
                    level: #level_read(text(#level)),
                    module,
                    action,
                    result: #result_read(text(#result)),
                    complement: complement.to_owned(),
                    event,
                    extra: row.extra(),
                    missing: missing.iter().map(|&i| COLUMNS[i].name).collect(),
                    ragged: row.ragged,
                }
            }

            /// The text of a known column (by index into [`COLUMNS`]) as the
            /// record keeps it: a known name as the catalog spells it,
            /// anything else as logged. `None` for an index past the columns.
            pub fn column_text(&self, column: usize) -> Option<String> {
                Some(match column {
                    #time => self.time_text.to_string(),
                    #user => self.user.to_string(),
                    #service => self.service.as_str().to_owned(),
                    #level => self.level.as_str().to_owned(),
                    #module => self.module.as_str().to_owned(),
                    #action => self.action.as_str().to_owned(),
                    #result => self.result.as_str().to_owned(),
                    #complement => self.complement.clone(),
                    _ => return None,
                })
            }

            /// Every violation of the record, at once.
            pub fn validate(&self) -> Vec<Violation> {
                let mut out = Vec::new();
                if self.ragged {
                    out.push(Violation::new(Code::RecordMalformed, "", "the row has more or fewer fields than the header"));
                }
                for column in &self.missing {
                    out.push(Violation::new(Code::RecordMalformed, *column, format!("the file has no `{column}` column")));
                }
                if self.time.is_none() && !self.missing.contains(&#time_name) {
                    out.push(Violation::new(Code::TimeUnparsed, #time_name, format!("`{}` is not a date and time", self.time_text)));
                }
                #service_check
                #level_check
                #result_check
                match (&self.module, &self.action) {
                    _ if !self.has(#module_name) || !self.has(#action_name) => {}
                    (Known::Unknown(m), _) => out.push(Violation::new(Code::UnknownModule, #module_name, format!("unknown module `{m}`"))),
                    (_, Known::Unknown(a)) => out.push(Violation::new(Code::UnknownAction, #action_name, format!("unknown action `{a}`"))),
                    (Known::Known(m), Known::Known(a)) if a.module() != *m => out.push(Violation::new(
                        Code::ActionModuleMismatch,
                        #action_name,
                        format!("`{a}` belongs to module `{}`, not `{m}`", a.module()),
                    )),
                    _ => {}
                }
                match &self.event {
                    _ if !self.has(#complement_name) => {}
                    Some(Ok(event)) => out.extend(event.validate().into_iter().map(|v| in_complement(v, #complement_name))),
                    Some(Err(v)) => out.push(in_complement(v.clone(), #complement_name)),
                    None => {}
                }
                out
            }

            /// Whether the file has the column `name`.
            fn has(&self, name: &str) -> bool {
                !self.missing.contains(&name)
            }

            /// The column's text for output: `None` when the file lacks it.
            fn shown(&self, name: &str, text: String) -> Option<String> {
                self.has(name).then_some(text)
            }
        }

        fn in_complement(mut v: Violation, column: &str) -> Violation {
            v.path = if v.path.is_empty() { column.to_owned() } else { format!("{column}.{}", v.path) };
            v
        }

        impl Record {
            /// The record as one output object.
            pub fn to_output(&self) -> rt::output::Output {
                let (case, properties) = match &self.event {
                    Some(Ok(e)) => (e.case().map(str::to_owned), e.properties()),
                    _ => (None, rt::serde_json::Map::new()),
                };
                rt::output::Output {
                    record: self.record,
                    line: Some(self.line),
                    source: SOURCE_ID,
                    module: self.shown(#module_name, self.module.to_string()),
                    action: self.shown(#action_name, self.action.to_string()),
                    candidates: Vec::new(),
                    case,
                    level: self.shown(#level_name, self.level.to_string()),
                    result: self.shown(#result_name, self.result.to_string()),
                    time: self.shown(#time_name, self.time.map_or_else(|| self.time_text.to_string(), |t| t.to_string())),
                    user: self.shown(#user_name, self.user.to_string()),
                    service: self.shown(#service_name, self.service.to_string()),
                    properties,
                    raw: self.complement.clone(),
                    extra: self.extra.clone(),
                    violations: self.validate(),
                }
            }
        }

        /// Reads a CSV export, streaming, and hands each record (or the
        /// row's error) to `out`. A file without a usable header row is an
        /// error of the whole input.
        pub fn read_outputs(
            input: &mut dyn std::io::BufRead,
            out: &mut dyn FnMut(rt::output::Output),
        ) -> std::io::Result<()> {
            let records = read_csv(input)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
            for record in records {
                match record {
                    Ok(r) => out(r.to_output()),
                    Err(e) => out(rt::output::Output::broken(
                        SOURCE_ID,
                        e.record.unwrap_or_default(),
                        e.line,
                        e.raw.unwrap_or_default(),
                        Violation::new(Code::RecordMalformed, "", e.message),
                    )),
                }
            }
            Ok(())
        }

        /// Reads a CSV export, streaming: the header row first, then one
        /// [`Record`] (or the row's error) per row.
        pub fn read_csv<R: std::io::Read>(input: R) -> Result<Records<R>, CsvError> {
            let reader = CsvReader::new(input, COLUMNS)?;
            Ok(Records { missing: reader.missing().to_vec(), reader })
        }

        /// The records of a CSV export; see [`read_csv`].
        pub struct Records<R: std::io::Read> {
            reader: CsvReader<R>,
            missing: Vec<usize>,
        }

        impl<R: std::io::Read> Records<R> {
            /// The header row as read.
            pub fn headers(&self) -> &[String] {
                self.reader.headers()
            }
        }

        impl<R: std::io::Read> Iterator for Records<R> {
            type Item = Result<Record, CsvError>;
            fn next(&mut self) -> Option<Self::Item> {
                let row = self.reader.next_row()?;
                Some(row.map(|row| Record::from_row(&row, &self.missing)))
            }
        }
    }
}

/// JSON entries whose `field` names the action (Slack's `change_type`).
pub(super) fn json_entries(source: &ir::Source, field: &str) -> TokenStream {
    let title = &source.title;
    let role_key = |role: Role| match source.properties.iter().find(|p| p.role == Some(role)) {
        Some(p) => {
            let key = &p.key;
            quote! { Some(#key) }
        }
        None => quote! { None },
    };
    let time_field = role_key(Role::Time);
    let user_field = role_key(Role::User);
    let entry_doc = doc(&format!(
        "One entry of the {title}: its action, typed fields, and the fields as received."
    ));
    quote! {
        use rt::violation::Code;

        /// The field whose value names the action.
        pub const ACTION_FIELD: &str = #field;

        /// The field that says when, if the catalog names one.
        const TIME_FIELD: Option<&str> = #time_field;

        /// The field that says who, if the catalog names one.
        const USER_FIELD: Option<&str> = #user_field;

        #entry_doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct Entry {
            /// The action the entry's [`ACTION_FIELD`] names, or its text.
            pub action: Known<Action>,
            /// The typed entry when the action is known, or why it cannot be read.
            pub event: Option<Result<Event, Violation>>,
            /// The entry's JSON text: its keys and values as received, in
            /// compact form; [`Entry::fields`] reads it.
            pub json: String,
        }

        impl Entry {
            /// Types one entry given as a map of its fields.
            pub fn from_fields(fields: rt::serde_json::Map<String, rt::serde_json::Value>) -> Entry {
                let json = rt::serde_json::Value::Object(fields).to_string();
                let typed = rt::object::Object::parse(&json).map(|object| Entry::from_object(&object));
                typed.unwrap_or_else(|_| Entry { action: Known::Unknown(String::new()), event: None, json })
            }

            /// Types one entry given as JSON text: an object.
            pub fn from_json(json: &str) -> Result<Entry, Violation> {
                match rt::object::Object::parse(json) {
                    Ok(object) => Ok(Entry::from_object(&object)),
                    Err(e) => Err(Violation::new(Code::RecordMalformed, "", format!("an entry is a JSON object: {e}"))),
                }
            }

            /// Types one entry from its fields.
            pub fn from_object(object: &rt::object::Object<'_>) -> Entry {
                let action = match object.get(ACTION_FIELD) {
                    Some(raw) => match raw.string() {
                        Some(s) => Known::parse(&s),
                        None => Known::Unknown(raw.to_value().to_string()),
                    },
                    None => Known::Unknown(String::new()),
                };
                let event = action.known().map(|a| Event::from_entry(a, object));
                Entry { action, event, json: object.to_json() }
            }

            /// The entry's fields, as received.
            pub fn fields(&self) -> rt::serde_json::Map<String, rt::serde_json::Value> {
                rt::serde_json::from_str(&self.json).unwrap_or_default()
            }

            /// Every violation of the entry, at once: unknown actions, fields
            /// the case does not have (kept, and reported), wrong values.
            pub fn validate(&self) -> Vec<Violation> {
                let mut out = Vec::new();
                match &self.action {
                    Known::Unknown(a) if a.is_empty() => out.push(Violation::new(Code::PropertyMissing, ACTION_FIELD, format!("`{}` is missing", ACTION_FIELD))),
                    Known::Unknown(a) => out.push(Violation::new(Code::UnknownAction, ACTION_FIELD, format!("unknown {} `{a}`", ACTION_FIELD))),
                    Known::Known(_) => {}
                }
                match &self.event {
                    Some(Ok(event)) => {
                        let slots = event.slots();
                        let object = rt::object::Object::parse(&self.json).unwrap_or_default();
                        for key in object.keys() {
                            let known = key == ACTION_FIELD || slots.iter().any(|s| s.key() == key);
                            if !known {
                                out.push(Violation::new(
                                    Code::PropertyUnexpected,
                                    key,
                                    format!("`{key}` does not belong to a `{}` entry of this kind", event.action()),
                                ));
                            }
                        }
                        out.extend(event.validate());
                    }
                    Some(Err(v)) => out.push(v.clone()),
                    None => {}
                }
                out
            }
        }

        impl Entry {
            /// The entry as one output object.
            pub fn to_output(&self, record: u64, line: u64, raw: String) -> rt::output::Output {
                let (case, properties) = match &self.event {
                    Some(Ok(e)) => (e.case().map(str::to_owned), e.properties()),
                    _ => (None, rt::serde_json::Map::new()),
                };
                let object = rt::object::Object::parse(&self.json).unwrap_or_default();
                let text = |key: Option<&str>| {
                    key.and_then(|k| object.get(k)).map(|v| match v.string() {
                        Some(s) => s.into_owned(),
                        None => v.to_value().to_string(),
                    })
                };
                rt::output::Output {
                    record,
                    line: Some(line),
                    source: SOURCE_ID,
                    module: self.action.known().map(|a| a.module().name().to_owned()),
                    action: Some(self.action.to_string()),
                    candidates: Vec::new(),
                    case,
                    level: None,
                    result: None,
                    time: text(TIME_FIELD).map(|t| {
                        rt::time::Timestamp::parse_unix(&t).map_or(t, |t| t.to_string())
                    }),
                    user: text(USER_FIELD),
                    service: None,
                    properties,
                    raw,
                    extra: Vec::new(),
                    violations: self.validate(),
                }
            }
        }

        /// Reads a file of responses, streaming document by document, and
        /// hands each entry (or a broken document, or an error response) to
        /// `out`; entries are numbered across the whole file.
        pub fn read_outputs(
            input: &mut dyn std::io::BufRead,
            out: &mut dyn FnMut(rt::output::Output),
        ) -> std::io::Result<()> {
            rt::output::read_json_documents(SOURCE_ID, input, out, |doc, sink| {
                let response = match parse_response(&doc.text) {
                    Ok(response) => response,
                    Err(v) => return sink.broken(doc.line, doc.text, v),
                };
                if let Some(error) = &response.error {
                    let v = Violation::new(Code::ApiError, "error", format!("the response is an error: `{}`", error.code));
                    sink.broken(doc.line, doc.text.clone(), v);
                }
                // Entries that are not objects keep their place among the others.
                let mut entries = response.entries.iter();
                let mut rejected = response.rejected.iter().peekable();
                for position in 0..response.entries.len() + response.rejected.len() {
                    match rejected.next_if(|(at, _)| *at == position) {
                        Some((at, value)) => sink.broken(
                            doc.line,
                            value.to_string(),
                            Violation::new(Code::RecordMalformed, "", format!("entry {} is not an object", at + 1)),
                        ),
                        None => {
                            let Some(entry) = entries.next() else { break };
                            let raw = rt::serde_json::Value::Object(entry.fields()).to_string();
                            sink.emit(|record| entry.to_output(record, doc.line, raw));
                        }
                    }
                }
            })
        }

        /// A response of the API, or a bare array of entries.
        pub type Response = rt::envelope::Response<Entry>;

        /// Parses one response document (an object with `logs`, or a bare
        /// array of entries) into typed entries.
        pub fn parse_response(json: &str) -> Result<Response, Violation> {
            rt::envelope::Response::parse(json, Entry::from_object)
        }

        /// Parses a file of responses: one JSON document, or one per line
        /// (as saved page by page). Each comes with the line it starts on; a
        /// broken document is reported and the others are still read.
        pub fn parse_file(text: &str) -> Vec<(usize, Result<Response, Violation>)> {
            rt::envelope::documents(text)
                .into_iter()
                .map(|(line, doc)| (line, parse_response(doc)))
                .collect()
        }
    }
}

/// JSON attribute records identified by rules (SAP BTP).
pub(super) fn rule_records(source: &ir::Source) -> TokenStream {
    let secrets = source
        .properties
        .iter()
        .filter(|p| p.secret)
        .filter_map(|p| {
            let key = &p.key;
            let keep = p.max_length?;
            Some(quote! { (#key, #keep) })
        });
    let rules = source.actions().flat_map(|(_, a)| {
        let action = type_ident(&a.name);
        a.rules.iter().map(move |r| {
            let verb = &r.action;
            let field = match r.field {
                MessageField::Key => quote! { MessageField::Key },
                MessageField::ObjectId => quote! { MessageField::ObjectId },
            };
            let prefixes: Vec<&String> = std::iter::once(&r.prefix)
                .chain(&r.prefix_aliases)
                .collect();
            let operation = match &r.operation {
                Some(o) => quote! { Some(#o) },
                None => quote! { None },
            };
            let scope = match &r.scope {
                Some(s) => quote! { Some(#s) },
                None => quote! { None },
            };
            let placeholder = &r.placeholder;
            quote! {
                Rule {
                    event: Action::#action,
                    verb: #verb,
                    field: #field,
                    prefixes: &[#(#prefixes),*],
                    operation: #operation,
                    placeholder: #placeholder,
                    scope: #scope,
                }
            }
        })
    });
    quote! {
        use rt::envelope::Attributes;
        pub use rt::rules::{MessageField, Rule};
        use rt::violation::Code;

        /// Every identification rule of the catalog, event by event.
        pub const RULES: &[Rule<Action>] = &[#(#rules),*];

        /// What the rules make of a record.
        #[derive(Clone, PartialEq)]
        pub enum Identified {
            /// Exactly one event fits: its typed attributes, or why they cannot be read.
            Event(Result<Event, Violation>),
            /// Several events fit the same rule; the record does not say which.
            Ambiguous {
                /// Every event that fits, in catalog order.
                candidates: Vec<Action>,
                /// The message's placeholder (a token prefix, a client id).
                placeholder: String,
                /// The property the placeholder fills.
                property: &'static str,
            },
            /// No rule fits.
            Unidentified,
        }

        /// A secret placeholder shows only the symbols that may be logged.
        impl std::fmt::Debug for Identified {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Identified::Event(e) => f.debug_tuple("Event").field(e).finish(),
                    Identified::Ambiguous { candidates, placeholder, property } => {
                        let shown = match SECRETS.iter().find(|(k, _)| k == property) {
                            Some((_, keep)) => rt::value::redact(placeholder, *keep),
                            None => placeholder.clone(),
                        };
                        f.debug_struct("Ambiguous")
                            .field("candidates", candidates)
                            .field("placeholder", &shown)
                            .field("property", property)
                            .finish()
                    }
                    Identified::Unidentified => f.write_str("Unidentified"),
                }
            }
        }

        /// Properties that are secrets, with the number of symbols the
        /// service may log of them.
        const SECRETS: &[(&str, usize)] = &[#(#secrets),*];

        /// One audit-log record with the event it was identified as.
        #[derive(Clone, PartialEq)]
        pub struct Record {
            /// The record's attributes, from whichever record shape it came in.
            pub attributes: Attributes,
            /// The identification.
            pub identified: Identified,
            /// The property the message's placeholder fills, and its text.
            pub placeholder: Option<(&'static str, rt::text::Text)>,
        }

        /// Shows the record with a leaked secret cut to the symbols that may be logged.
        impl std::fmt::Debug for Record {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let shown = self.redacted();
                f.debug_struct("Record")
                    .field("attributes", &shown.attributes)
                    .field("identified", &shown.identified)
                    .field("placeholder", &shown.placeholder)
                    .finish()
            }
        }

        impl Record {
            /// Identifies one record's attributes.
            pub fn identify(attributes: Attributes) -> Record {
                let (identified, placeholder) =
                    attributes.with_fields(|fields| Record::identification(&attributes, fields));
                Record { attributes, identified, placeholder }
            }

            /// Identifies `attributes`, whose fields are `fields`.
            fn identify_in(attributes: Attributes, fields: &mut rt::object::Object<'_>) -> Record {
                let (identified, placeholder) = Record::identification(&attributes, fields);
                Record { attributes, identified, placeholder }
            }

            /// What the rules make of `attributes`, whose fields are `fields`.
            fn identification(
                attributes: &Attributes,
                fields: &mut rt::object::Object<'_>,
            ) -> (Identified, Option<(&'static str, rt::text::Text)>) {
                let found = rt::rules::identify(RULES, attributes);
                let placeholder = found.first().map(|(rule, p)| (rule.placeholder, (*p).into()));
                // The event's fields: the record's, and the placeholder's property.
                let mut read = |event: Action, property: &'static str, text: &str| {
                    // Taken out, to hold a text that lives only as long as `attributes`.
                    let mut entry = std::mem::take(&mut *fields);
                    entry.insert(property, rt::values::Raw::Text(text));
                    Event::from_entry(event, &entry)
                };
                let identified = match found.as_slice() {
                    [] => Identified::Unidentified,
                    [(rule, placeholder)] => Identified::Event(read(rule.event, rule.placeholder, placeholder)),
                    many => {
                        let mut candidates: Vec<Action> = many.iter().map(|(r, _)| r.event).collect();
                        candidates.sort();
                        candidates.dedup();
                        if let [only] = candidates.as_slice() {
                            let (rule, placeholder) = many[0];
                            Identified::Event(read(*only, rule.placeholder, placeholder))
                        } else {
                            Identified::Ambiguous {
                                candidates,
                                placeholder: many[0].1.to_owned(),
                                property: many[0].0.placeholder,
                            }
                        }
                    }
                };
                (identified, placeholder)
            }

            /// The placeholder's text when it is a secret longer than may be
            /// logged, with the part that may be shown.
            fn leaked(&self) -> Option<(&'static str, &str, String)> {
                let (key, text) = self.placeholder.as_ref()?;
                let keep = SECRETS.iter().find(|(k, _)| k == key)?.1;
                (text.chars().count() > keep).then(|| (*key, text.as_str(), rt::value::redact(text, keep)))
            }

            /// The record with a leaked secret replaced by its loggable part
            /// wherever it appears.
            pub fn redacted(&self) -> Record {
                let Some((_, secret, shown)) = self.leaked() else {
                    return self.clone();
                };
                let cut = |t: &str| t.replace(secret, &shown);
                let mut attributes = self.attributes.clone();
                for text in [&mut attributes.key, &mut attributes.object_id].into_iter().flatten() {
                    *text = cut(text).into();
                }
                attributes.map_strings(cut);
                Record::identify(attributes)
            }

            /// Every violation of the record, at once.
            pub fn validate(&self) -> Vec<Violation> {
                let mut out = Vec::new();
                if let (None, Some(text)) = (&self.attributes.time, &self.attributes.time_text) {
                    out.push(Violation::new(Code::TimeUnparsed, "time", format!("`{text}` is not a date and time")));
                }
                out.extend(self.identified_violations());
                out
            }

            fn identified_violations(&self) -> Vec<Violation> {
                match &self.identified {
                    Identified::Event(Ok(event)) => event.validate(),
                    Identified::Event(Err(v)) => vec![v.clone()],
                    Identified::Ambiguous { candidates, .. } => self.leaked().map(|(key, _, shown)| Violation::new(
                        Code::ValueTooLong,
                        key,
                        format!("`{key}` is `{shown}`; only its first symbols may be logged, so a secret leaked into the log"),
                    )).into_iter().chain([Violation::new(
                        Code::EventAmbiguous,
                        "",
                        format!(
                            "the record fits {} events: {}",
                            candidates.len(),
                            candidates.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")
                        ),
                    )]).collect(),
                    Identified::Unidentified => vec![Violation::new(
                        Code::UnknownAction,
                        "",
                        "no identification rule of the catalog fits the record",
                    )],
                }
            }
        }

        impl Record {
            /// The record as one output object.
            pub fn to_output(&self, record: u64, line: u64, raw: String) -> rt::output::Output {
                let raw = match self.leaked() {
                    Some((_, secret, shown)) => raw.replace(secret, &shown),
                    None => raw,
                };
                let (module, action, candidates, case, properties) = match &self.identified {
                    Identified::Event(Ok(e)) => (
                        Some(e.action().module().name().to_owned()),
                        Some(e.action().name().to_owned()),
                        Vec::new(),
                        e.case().map(str::to_owned),
                        e.properties(),
                    ),
                    Identified::Event(Err(_)) | Identified::Unidentified => {
                        (None, None, Vec::new(), None, rt::serde_json::Map::new())
                    }
                    Identified::Ambiguous { candidates, .. } => {
                        let mut modules: Vec<&str> = candidates.iter().map(|c| c.module().name()).collect();
                        modules.dedup();
                        (
                            (modules.len() == 1).then(|| modules[0].to_owned()),
                            None,
                            candidates.iter().map(|c| c.name().to_owned()).collect(),
                            None,
                            rt::serde_json::Map::new(),
                        )
                    }
                };
                rt::output::Output {
                    record,
                    line: Some(line),
                    source: SOURCE_ID,
                    module,
                    action,
                    candidates,
                    case,
                    level: None,
                    result: None,
                    time: self.attributes.time.map(|t| t.to_string()).or_else(|| self.attributes.time_text.as_deref().map(str::to_owned)),
                    user: self.attributes.user.as_deref().map(str::to_owned),
                    service: None,
                    properties,
                    raw,
                    extra: Vec::new(),
                    violations: self.validate(),
                }
            }
        }

        /// Reads a file of records, streaming document by document (an
        /// array document is read element by element), and hands each record
        /// (or a broken document) to `out`.
        pub fn read_outputs(
            input: &mut dyn std::io::BufRead,
            out: &mut dyn FnMut(rt::output::Output),
        ) -> std::io::Result<()> {
            rt::output::read_json_documents(SOURCE_ID, input, out, |doc, sink| {
                let items = match rt::serde_json::from_str::<rt::serde_json::Value>(&doc.text) {
                    Ok(rt::serde_json::Value::Array(items)) => items,
                    Ok(value) => vec![value],
                    Err(e) => return sink.broken(doc.line, doc.text, rt::output::not_json(&e.to_string())),
                };
                for item in items {
                    let raw = item.to_string();
                    match Attributes::parse_with(&raw, Record::identify_in) {
                        Ok(record) => sink.emit(|n| record.to_output(n, doc.line, raw)),
                        Err(v) => sink.broken(doc.line, raw, v),
                    }
                }
            })
        }

        /// Parses one JSON document (flat attributes, or a Neo or Cloud
        /// Foundry retrieval record) and identifies its event.
        pub fn classify(json: &str) -> Result<Record, Violation> {
            Attributes::parse_with(json, Record::identify_in)
        }

        /// Classifies a file of records: one JSON document (an array is
        /// read record by record), or one per line. Each comes with the line
        /// it starts on; a broken document is reported and the others are
        /// still read.
        pub fn classify_file(text: &str) -> Vec<(usize, Result<Record, Violation>)> {
            let mut out = Vec::new();
            for (line, doc) in rt::envelope::documents(text) {
                match rt::serde_json::from_str::<rt::serde_json::Value>(doc) {
                    Ok(rt::serde_json::Value::Array(items)) => out.extend(
                        items.into_iter().map(|item| (line, Attributes::from_value(item).map(Record::identify))),
                    ),
                    Ok(value) => out.push((line, Attributes::from_value(value).map(Record::identify))),
                    Err(e) => out.push((line, Err(Violation::new(Code::RecordMalformed, "", format!("invalid JSON: {e}"))))),
                }
            }
            out
        }
    }
}
