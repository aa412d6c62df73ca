//! Enums with stable lowercase string codes (database, JSON) and Chinese labels.

/// A string code that names no known value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的{what}代码：「{code}」")]
pub struct UnknownCode {
    /// What was being parsed, in Chinese (e.g. "事项类型").
    pub what: &'static str,
    /// The code as given.
    pub code: String,
}

/// A value stored and sent as a stable code: what the database layer decodes columns
/// into, so no code is compared as a string outside this crate.
pub trait Code: Copy + std::str::FromStr<Err = UnknownCode> + Send + Sync + 'static {
    /// What it is, in Chinese (e.g. "事项类型").
    const WHAT: &'static str;
    /// Its code.
    fn code(self) -> &'static str;
}

/// Declares a fieldless enum whose values have a stable code and a Chinese label.
///
/// The code is the only serde form, so the database, the JSON API and `FromStr`
/// can never disagree.
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable lowercase code used in the database and JSON.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Simplified-Chinese label for display.
            pub const fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::matter::UnknownCode;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::matter::UnknownCode { what: $what, code: s.to_string() }),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::string::String as ::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }

        impl $crate::matter::Code for $name {
            const WHAT: &'static str = $what;
            fn code(self) -> &'static str {
                self.as_str()
            }
        }

        /// In the API document: a string with its allowed codes.
        #[cfg(feature = "openapi")]
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                let labels: ::std::vec::Vec<::std::string::String> = $name::ALL
                    .iter()
                    .map(|v| ::std::format!("{} {}", v.as_str(), v.label_zh()))
                    .collect();
                ::utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .description(Some(::std::format!("{}：{}", $what, labels.join("，"))))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl ::utoipa::ToSchema for $name {}
    };
}

pub(crate) use code_enum;
