//! China's township-level divisions (镇, 乡, 街道 and the like, about 41,000) with their
//! counties, cities and provinces: the 统计用区划代码 of 2023 as packaged by the npm
//! package `china-division` 2.7.0 (`data/README.md`). The data is committed in the
//! repository and embedded in the binary; nothing is fetched. It is decompressed and
//! indexed once, on first use.
//!
//! [`resolve`] checks an issuer found by the reader: a name held by one township, or by
//! one township among those whose county (or city, or province) the text names, gets its
//! code; a name held by many stays without one; a name held by none is reported as such.

use crate::doc::Doc;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The gzipped TSV (`code<TAB>name`, sorted by code length then code) written by
/// `tools/gazetteer/gen.py`.
static DATA: &[u8] = include_bytes!("../data/gazetteer.tsv.gz");

/// Where the data comes from, for notes and the command line.
pub const SOURCE: &str = "统计用区划代码 2023 (npm china-division 2.7.0)";

/// One township-level division with the divisions above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The 9-digit code (统计用区划代码 without the village part; append `000` for the
    /// 12-digit form).
    pub code: String,
    /// Name as listed (余家镇, 东华门街道).
    pub name: String,
    /// County-level division (万州区, 忠县, 东莞市).
    pub county: String,
    /// Prefecture-level city, or None where the list has a placeholder (the 市辖区 and
    /// 县 of the four municipalities, 省直辖县级行政区划).
    pub city: Option<String>,
    /// Province-level division (重庆市, 四川省).
    pub province: String,
}

/// What the gazetteer says about an issuer name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// One township fits; `how` says why ("unique name", "county named in the text" …).
    Found(Place, &'static str),
    /// `n` townships have the name and the text does not tell which.
    Ambiguous(usize),
    /// Townships have the name, but none under the county or city the issuer's full
    /// name gives (that place is named).
    Elsewhere(String),
    /// No township has the name.
    Unknown,
}

struct Gazetteer {
    /// Townships: (code, name), sorted by code.
    towns: Vec<(u32, &'static str)>,
    /// Provinces (2 digits), cities (4) and counties (6) by code; the ranges of the
    /// three code lengths do not overlap.
    upper: HashMap<u32, &'static str>,
    /// (hash of the name, township index), sorted: the townships of a name are a range,
    /// checked against the name itself (also under 东华门街道 for a listed
    /// 东华门街道办事处). Sorting hashes is several times cheaper than sorting names.
    by_name: Vec<(u64, u32)>,
}

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| parse(DATA))
}

fn parse(gz: &[u8]) -> Gazetteer {
    use std::io::Read;
    let mut text = String::new();
    // The embedded file is ours and fixed: a failure here is a build defect, which the
    // unit tests catch.
    flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut text)
        .expect("embedded gazetteer is valid gzip UTF-8");
    // The text lives as long as the process, like the index into it: names are slices
    // of it, not an allocation each.
    let text: &'static str = Box::leak(text.into_boxed_str());
    let mut towns = Vec::with_capacity(42_000);
    let mut upper = HashMap::with_capacity(3_400);
    for line in text.split('\n') {
        // Codes are ASCII digits, so the tab is found byte by byte in a few steps.
        let Some(tab) = line.bytes().position(|b| b == b'\t') else {
            continue;
        };
        let (code, name) = (&line[..tab], &line[tab + 1..]);
        let Ok(n) = code.parse::<u32>() else { continue };
        if code.len() == 9 {
            towns.push((n, name));
        } else {
            upper.insert(n, name);
        }
    }
    towns.sort_unstable_by_key(|t| t.0);
    let mut by_name: Vec<(u64, u32)> = Vec::with_capacity(towns.len() + 16);
    for (i, &(_, name)) in towns.iter().enumerate() {
        by_name.push((name_hash(name), i as u32));
        if let Some(short) = street_alias(name) {
            by_name.push((name_hash(short), i as u32));
        }
    }
    by_name.sort_unstable();
    Gazetteer {
        towns,
        upper,
        by_name,
    }
}

/// 东华门街道 for 东华门街道办事处.
fn street_alias(name: &str) -> Option<&str> {
    name.strip_suffix("办事处").filter(|s| s.ends_with("街道"))
}

/// FNV-1a over the name's bytes.
fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Gazetteer {
    /// Indexes of the townships listed under `name`, in code order.
    fn named(&self, name: &str) -> Vec<u32> {
        let h = name_hash(name);
        let a = self.by_name.partition_point(|e| e.0 < h);
        self.by_name[a..]
            .iter()
            .take_while(|e| e.0 == h)
            .map(|e| e.1)
            .filter(|&i| {
                let n = self.towns[i as usize].1;
                n == name || street_alias(n) == Some(name)
            })
            .collect()
    }

    fn place(&self, i: u32) -> Place {
        let (code, name) = self.towns[i as usize];
        let name_of = |c: u32| self.upper.get(&c).map(|s| s.to_string());
        let city = name_of(code / 100_000)
            .filter(|c| !matches!(c.as_str(), "市辖区" | "县") && !c.contains("直辖县级"));
        Place {
            code: format!("{code:09}"),
            name: name.to_string(),
            county: name_of(code / 1000).unwrap_or_default(),
            city,
            province: name_of(code / 10_000_000).unwrap_or_default(),
        }
    }
}

/// Every township listed under `name`, in code order.
pub fn townships_named(name: &str) -> Vec<Place> {
    let g = gazetteer();
    g.named(name).into_iter().map(|i| g.place(i)).collect()
}

/// The township with this 9-digit (or 12-digit, ending 000) code.
pub fn by_code(code: &str) -> Option<Place> {
    let code = match code.len() {
        12 => code.strip_suffix("000")?,
        9 => code,
        _ => return None,
    };
    let n: u32 = code.parse().ok()?;
    let g = gazetteer();
    let i = g.towns.binary_search_by_key(&n, |t| t.0).ok()?;
    Some(g.place(i as u32))
}

/// The townships of a county, by its 6-digit code (or a 12-digit one starting with it),
/// in code order: the divisions page offers them instead of codes typed by hand.
pub fn townships_of_county(code: &str) -> Vec<Place> {
    let Some(county) = code.get(..6).and_then(|c| c.parse::<u32>().ok()) else {
        return vec![];
    };
    let g = gazetteer();
    let lo = g.towns.partition_point(|t| t.0 < county * 1000);
    let hi = g.towns.partition_point(|t| t.0 < (county + 1) * 1000);
    (lo..hi).map(|i| g.place(i as u32)).collect()
}

/// Number of townships in the list.
pub fn len() -> usize {
    gazetteer().towns.len()
}

/// Checks the issuer `short` (余家镇) against the gazetteer. `full` is the issuing
/// body's full name when the reader found one (重庆市万州区余家镇人民政府): the places
/// it names before the township decide first; otherwise the county, city or province
/// named anywhere in `doc` tells apart townships of the same name.
pub fn resolve(doc: &Doc, short: &str, full: Option<&str>) -> Resolution {
    let g = gazetteer();
    let ix = g.named(short);
    if ix.is_empty() {
        return Resolution::Unknown;
    }
    let places: Vec<Place> = ix.into_iter().map(|i| g.place(i)).collect();
    // The places the full name gives before the township (重庆市万州区).
    let prefix = full
        .and_then(|f| f.find(short).map(|p| &f[..p]))
        .map(|p| p.trim_start_matches("中共"))
        .filter(|p| !p.is_empty());
    if let Some(prefix) = prefix {
        let levels = named_levels(&places, |w| prefix.contains(w));
        if let Some(i) = unique_best(&levels) {
            return Resolution::Found(places[i].clone(), "place named with the issuer");
        }
        if levels.iter().all(|&l| l == 0) && names_a_division(prefix) {
            return Resolution::Elsewhere(prefix.to_string());
        }
    }
    if let [only] = &places[..] {
        return Resolution::Found(only.clone(), "unique name");
    }
    let levels = named_in_text(doc, &places);
    match unique_best(&levels) {
        Some(i) => Resolution::Found(places[i].clone(), "county or city named in the text"),
        None => Resolution::Ambiguous(places.len()),
    }
}

/// True when `prefix` ends with a county- or city-level word (区, 县, 市, 旗): the full
/// name really places the township there.
fn names_a_division(prefix: &str) -> bool {
    prefix.ends_with(['区', '县', '市', '旗'])
}

/// For each place, the most specific of its divisions that `named` accepts: 3 county,
/// 2 city, 1 province, 0 none.
fn named_levels(places: &[Place], named: impl Fn(&str) -> bool) -> Vec<u8> {
    places
        .iter()
        .map(|p| {
            if !p.county.is_empty() && named(&p.county) {
                3
            } else if p.city.as_deref().is_some_and(&named) {
                2
            } else if !p.province.is_empty() && named(&p.province) {
                1
            } else {
                0
            }
        })
        .collect()
}

/// The index of the one place with the highest non-zero level, if only one has it.
fn unique_best(levels: &[u8]) -> Option<usize> {
    let best = *levels.iter().max()?;
    if best == 0 {
        return None;
    }
    let mut it = levels.iter().enumerate().filter(|(_, l)| **l == best);
    let (i, _) = it.next()?;
    it.next().is_none().then_some(i)
}

/// [`named_levels`] over the whole text: one pass over the characters, looking up the
/// candidates' division names by their first character.
fn named_in_text(doc: &Doc, places: &[Place]) -> Vec<u8> {
    let mut words: Vec<Vec<char>> = Vec::new();
    for p in places {
        for w in [Some(&p.county), p.city.as_ref(), Some(&p.province)]
            .into_iter()
            .flatten()
        {
            let w: Vec<char> = w.chars().collect();
            if w.len() >= 2 && !words.contains(&w) {
                words.push(w);
            }
        }
    }
    let mut by_first: HashMap<char, Vec<usize>> = HashMap::new();
    for (i, w) in words.iter().enumerate() {
        by_first.entry(w[0]).or_default().push(i);
    }
    let mut found = vec![false; words.len()];
    let c = &doc.chars;
    for k in 0..c.len() {
        if let Some(ws) = by_first.get(&c[k]) {
            for &i in ws {
                let w = &words[i];
                if !found[i] && c.len() - k >= w.len() && c[k..k + w.len()] == w[..] {
                    found[i] = true;
                }
            }
        }
    }
    let seen: Vec<String> = words
        .iter()
        .zip(&found)
        .filter(|(_, f)| **f)
        .map(|(w, _)| w.iter().collect())
        .collect();
    named_levels(places, |w| seen.iter().any(|s| s == w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_list_is_whole() {
        let g = gazetteer();
        assert!(g.towns.len() > 40_000, "{}", g.towns.len());
        assert_eq!(g.upper.len(), 31 + 342 + 2978);
        // Every township has its county and province.
        for i in 0..g.towns.len() as u32 {
            let p = g.place(i);
            assert!(!p.county.is_empty() && !p.province.is_empty(), "{p:?}");
            // Every township is found under its own name.
            assert!(g.named(&p.name).contains(&i), "{p:?}");
        }
    }

    #[test]
    fn places_by_code() {
        let p = by_code("110101001").unwrap();
        assert_eq!(p.name, "东华门街道");
        assert_eq!(p.county, "东城区");
        assert_eq!(p.city, None, "a municipality's 市辖区 is no city");
        assert_eq!(p.province, "北京市");
        assert_eq!(by_code("110101001000"), Some(p));
        assert_eq!(by_code("110101999"), None);
        assert_eq!(by_code("12"), None);
    }
}
