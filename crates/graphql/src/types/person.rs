use async_graphql::{ComplexObject, SimpleObject};
use oikos_domain::person::Person;
use uuid::Uuid;

/// A person as seen by someone allowed to see them. Contact details are shown only to
/// the person themselves and to those who lead or oversee a community they belong to.
#[derive(SimpleObject)]
#[graphql(name = "Person", complex)]
pub struct PersonView {
    pub id: Uuid,
    pub display_name: String,
    #[graphql(skip)]
    pub email_value: Option<String>,
    #[graphql(skip)]
    pub phone_value: Option<String>,
    #[graphql(skip)]
    pub show_contact: bool,
}

impl PersonView {
    pub fn new(person: Person, show_contact: bool) -> Self {
        Self {
            id: person.id,
            display_name: person.display_name,
            email_value: person.email,
            phone_value: person.phone,
            show_contact,
        }
    }
}

#[ComplexObject]
impl PersonView {
    /// Null unless you may see contact details.
    async fn email(&self) -> Option<&str> {
        self.email_value.as_deref().filter(|_| self.show_contact)
    }

    /// Null unless you may see contact details.
    async fn phone(&self) -> Option<&str> {
        self.phone_value.as_deref().filter(|_| self.show_contact)
    }
}
