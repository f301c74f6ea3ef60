//! Typed access to a rule's kind-specific fields, collecting every problem.

use std::collections::BTreeMap;

use crate::policy::value::{Value, ValueKind};
use crate::policy::{
    empty_list, read_pattern_list, CrateNames, Pattern, PatternList, PolicyError, PolicyErrorCode,
    RuleTable,
};

pub type Components = BTreeMap<String, Vec<(bool, Pattern)>>;

pub struct Fields<'a> {
    pub table: &'a RuleTable,
    components: &'a Components,
    names: &'a CrateNames,
    pub errors: Vec<PolicyError>,
}

impl<'a> Fields<'a> {
    pub fn new(
        table: &'a RuleTable,
        components: &'a Components,
        names: &'a CrateNames,
    ) -> Fields<'a> {
        Fields {
            table,
            components,
            names,
            errors: Vec::new(),
        }
    }

    pub fn value(&self, name: &str) -> Option<&'a Value> {
        self.table.fields.get(name).map(|(_, v)| v)
    }

    pub fn missing(&mut self, name: &str) {
        self.errors.push(PolicyError::new(
            PolicyErrorCode::MissingField,
            self.table.kind_span.clone(),
            format!(
                "`{}` rule `{}` needs a `{name}` field",
                self.table.kind, self.table.name
            ),
            format!("missing `{name}`"),
        ));
    }

    /// A required pattern list, which must name something: an empty one
    /// would make the rule check nothing.
    pub fn patterns(&mut self, name: &str) -> PatternList {
        let before = self.errors.len();
        let list = self.patterns_or_empty(name);
        if let Some(value) = self.value(name) {
            if list.is_empty() && self.errors.len() == before {
                self.errors
                    .push(empty_list(value.span.clone(), &format!("`{name}`")));
            }
        }
        list
    }

    /// A required pattern list that may be empty (`allow`'s `to`: nothing
    /// but the member's own subtree).
    pub fn patterns_or_empty(&mut self, name: &str) -> PatternList {
        match self.value(name) {
            Some(value) => self.pattern_list(value, name),
            None => {
                self.missing(name);
                PatternList::default()
            }
        }
    }

    pub fn optional_patterns(&mut self, name: &str) -> Option<PatternList> {
        self.value(name).map(|value| self.pattern_list(value, name))
    }

    pub fn pattern_list(&mut self, value: &Value, name: &str) -> PatternList {
        read_pattern_list(value, name, self.components, self.names).unwrap_or_else(|errors| {
            self.errors.extend(errors);
            PatternList::default()
        })
    }

    pub fn bool(&mut self, name: &str, default: bool) -> bool {
        match self.value(name).map(|v| (&v.kind, v)) {
            None => default,
            Some((ValueKind::Bool(b), _)) => *b,
            Some((_, value)) => {
                self.errors
                    .push(crate::policy::value_type_error(value, name, "a boolean"));
                default
            }
        }
    }

    pub fn finish<T>(self, rule: T) -> Result<T, Vec<PolicyError>> {
        if self.errors.is_empty() {
            Ok(rule)
        } else {
            Err(self.errors)
        }
    }
}
