//! Shell variables: values (bash arrays too), the export flag, read-only ones.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Scalar(String),
    Array(Vec<String>),
}

impl Value {
    /// What `$name` gives: a scalar, or an array's first element (as bash does).
    pub fn scalar(&self) -> &str {
        match self {
            Value::Scalar(s) => s,
            Value::Array(items) => items.first().map_or("", String::as_str),
        }
    }
}

/// One variable's whole state (value and flags), to put back later.
#[derive(Debug, Clone)]
pub(super) struct Var {
    value: Option<Value>,
    exported: bool,
    readonly: bool,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Vars {
    map: BTreeMap<String, Var>,
}

impl Vars {
    pub(super) fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name).and_then(|v| v.value.as_ref())
    }

    /// Sets a value; `false` if the variable is read-only.
    pub(super) fn set(&mut self, name: &str, value: Value) -> bool {
        let var = self.map.entry(name.to_string()).or_insert(Var { value: None, exported: false, readonly: false });
        if var.readonly {
            return false;
        }
        var.value = Some(value);
        true
    }

    /// The variable's state (`None` if the shell has never heard of it).
    pub(super) fn save(&self, name: &str) -> Option<Var> {
        self.map.get(name).cloned()
    }

    pub(super) fn restore(&mut self, name: &str, saved: Option<Var>) {
        match saved {
            Some(var) => self.map.insert(name.to_string(), var),
            None => self.map.remove(name),
        };
    }

    pub(super) fn export(&mut self, name: &str) {
        self.map.entry(name.to_string()).or_insert(Var { value: None, exported: false, readonly: false }).exported = true;
    }

    pub(super) fn readonly(&mut self, name: &str) {
        self.map.entry(name.to_string()).or_insert(Var { value: None, exported: false, readonly: false }).readonly = true;
    }

    pub(super) fn is_readonly(&self, name: &str) -> bool {
        self.map.get(name).is_some_and(|v| v.readonly)
    }

    /// `false` if read-only.
    pub(super) fn unset(&mut self, name: &str) -> bool {
        if self.is_readonly(name) {
            return false;
        }
        self.map.remove(name);
        true
    }

    /// The environment a command sees: exported variables with values, in name order.
    pub(super) fn environment(&self) -> Vec<(String, String)> {
        self.map.iter().filter(|(_, v)| v.exported).filter_map(|(k, v)| Some((k.clone(), v.value.as_ref()?.scalar().to_string()))).collect()
    }

    /// Every variable with a value (`set` with no arguments).
    pub(super) fn all(&self) -> Vec<(String, String)> {
        self.map.iter().filter_map(|(k, v)| Some((k.clone(), v.value.as_ref()?.scalar().to_string()))).collect()
    }

    /// What a new shell process starts with: the exported variables only (a child
    /// process gets the environment, not the parent's shell variables).
    pub(super) fn for_new_process(&self) -> Vars {
        let map = self
            .map
            .iter()
            .filter(|(_, v)| v.exported && v.value.is_some())
            .map(|(k, v)| (k.clone(), Var { value: v.value.clone(), exported: true, readonly: false }))
            .collect();
        Vars { map }
    }

    /// Exported names, with values if set (`export -p`).
    pub(super) fn exported(&self) -> Vec<(String, Option<String>)> {
        self.map.iter().filter(|(_, v)| v.exported).map(|(k, v)| (k.clone(), v.value.as_ref().map(|v| v.scalar().to_string()))).collect()
    }
}
