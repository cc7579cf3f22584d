//! What a rule says of a value it refuses: the rule that refused it, the message the operator
//! reads, and the value they almost certainly meant when a safe fix exists. The rule travels
//! with the error, so the report and the review file it under that rule without reading its
//! text.

use super::Rule;

/// A value a rule refuses. Its `Display` is the message, as the operator reads it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RuleError {
    /// The rule the error is filed under (its group in the review, its id in the report).
    pub rule: Rule,
    pub message: String,
    /// The value the operator almost certainly meant, when a safe fix exists ([`super::fixes`]).
    pub fix: Option<String>,
}

impl RuleError {
    /// An error of `rule`, without a fix: the rules find what is wrong, [`super::fixes`]
    /// what was meant.
    pub fn new(rule: Rule, message: impl Into<String>) -> RuleError {
        RuleError {
            rule,
            message: message.into(),
            fix: None,
        }
    }

    /// The same error, filed under `rule`: a rule that reads part of its value through another
    /// (an account manager is an e-mail) reports what it found as its own.
    pub fn under(self, rule: Rule) -> RuleError {
        RuleError { rule, ..self }
    }

    /// The same error, with the fix `fixes` found for it.
    pub fn with_fix(self, fix: Option<String>) -> RuleError {
        RuleError { fix, ..self }
    }
}
