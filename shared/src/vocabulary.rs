//! Closed vocabularies: a word the service writes and reads (a problem type,
//! an audit action) is a value of an enum declared with its text, so a word
//! not in the list does not compile, and `ALL` names every one for the API
//! document's tests.

/// Declares an enum and the text of each value, with `ALL`, `as_str` and `parse`.
macro_rules! closed_list {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($value:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($value,)*
        }

        impl $name {
            /// Every value, in the order declared.
            pub const ALL: &'static [$name] = &[$($name::$value,)*];

            /// As it is written in records, addresses and the API document.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$value => $text,)*
                }
            }

            /// The value written so, if there is one.
            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.as_str() == text)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
                let words: Vec<&str> = Self::ALL.iter().map(|value| value.as_str()).collect();
                $crate::edge::openapi::fields::one_of(&words).into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use closed_list;
