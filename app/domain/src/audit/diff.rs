//! Which fields an edit changed, for the audit log and the conflict view.

use super::types::FieldChange;
use crate::customers::types::CustomerInput;

/// The fields that differ between two versions of a customer form, in form order.
pub fn customer_changes(before: &CustomerInput, after: &CustomerInput) -> Vec<FieldChange> {
    let fields: [(&str, String, String); 12] = [
        ("kind", before.kind.as_str().into(), after.kind.as_str().into()),
        ("name", before.name.clone(), after.name.clone()),
        ("stage", before.stage.as_str().into(), after.stage.as_str().into()),
        ("phone", before.phone.clone(), after.phone.clone()),
        ("email", before.email.clone(), after.email.clone()),
        ("credit_code", before.credit_code.clone(), after.credit_code.clone()),
        ("industry", before.industry.clone(), after.industry.clone()),
        ("region", before.region.clone(), after.region.clone()),
        ("source", before.source.clone(), after.source.clone()),
        ("address", before.address.clone(), after.address.clone()),
        ("owner", before.owner.clone(), after.owner.clone()),
        ("notes", before.notes.clone(), after.notes.clone()),
    ];
    fields
        .into_iter()
        .filter(|(_, b, a)| b != a)
        .map(|(field, b, a)| FieldChange::new(field, b, a))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::types::LifecycleStage;

    #[test]
    fn only_changed_fields_are_listed() {
        let before = CustomerInput { name: "张三科技".into(), phone: "138".into(), ..Default::default() };
        let after = CustomerInput { name: "张三科技".into(), phone: "139".into(), stage: LifecycleStage::Customer, ..Default::default() };
        assert_eq!(
            customer_changes(&before, &after),
            vec![FieldChange::new("stage", "lead", "customer"), FieldChange::new("phone", "138", "139")]
        );
        assert!(customer_changes(&before, &before).is_empty());
    }
}
