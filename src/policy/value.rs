//! An owned TOML tree that keeps the byte span of every key and value, so
//! each policy problem can point at the text that caused it.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

#[derive(Debug, Clone)]
pub struct Value {
    pub span: Range<usize>,
    pub kind: ValueKind,
}

#[derive(Debug, Clone)]
pub enum ValueKind {
    String(String),
    Integer(i64),
    Bool(bool),
    /// Floats and datetimes: the policy has no use for them.
    Other(&'static str),
    Array(Vec<Value>),
    Table(Table),
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Entries in source order.
    pub entries: Vec<(Key, Value)>,
}

#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub span: Range<usize>,
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            ValueKind::String(_) => "a string",
            ValueKind::Integer(_) => "an integer",
            ValueKind::Bool(_) => "a boolean",
            ValueKind::Other(name) => name,
            ValueKind::Array(_) => "an array",
            ValueKind::Table(_) => "a table",
        }
    }
}

impl Table {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| v)
    }
}

pub fn from_de(value: &toml::Spanned<DeValue<'_>>) -> Value {
    let kind = match value.get_ref() {
        DeValue::String(s) => ValueKind::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map(ValueKind::Integer)
            .unwrap_or(ValueKind::Other("an integer")),
        DeValue::Float(_) => ValueKind::Other("a float"),
        DeValue::Boolean(b) => ValueKind::Bool(*b),
        DeValue::Datetime(_) => ValueKind::Other("a datetime"),
        DeValue::Array(items) => ValueKind::Array(items.iter().map(from_de).collect()),
        DeValue::Table(table) => ValueKind::Table(table_from_de(table)),
    };
    Value {
        span: value.span(),
        kind,
    }
}

pub fn table_from_de(table: &DeTable<'_>) -> Table {
    let mut entries: Vec<(Key, Value)> = table
        .iter()
        .map(|(k, v)| {
            (
                Key {
                    name: k.get_ref().to_string(),
                    span: k.span(),
                },
                from_de(v),
            )
        })
        .collect();
    entries.sort_by_key(|(k, _)| k.span.start);
    Table { entries }
}
