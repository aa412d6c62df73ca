//! What a township does to a paragraph it copies, for the labelled corpora of the
//! duplicate benchmarks (shared by `gen_corpus` and `dups_eval`).

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

/// Common characters of report prose, for changed and inserted characters.
pub const HAN: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质";
/// Clauses a copier adds.
pub const CLAUSES: &[&str] = &[
    "并邀请法律顾问全程参与",
    "同时建立工作台账实行销号管理",
    "结合本地实际细化了工作措施",
    "由分管领导每月听取一次进展汇报",
    "相关情况已在政务公开栏公示",
    "确保群众反映的问题件件有回音",
    "并将其纳入年度目标考核",
    "对发现的问题建立整改清单",
];

/// One kind of edit.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Edit {
    /// Copied as it is (numbers may differ).
    None,
    /// The source township's name replaced by the copier's.
    Names,
    /// 我镇 written 本镇.
    WeThis,
    /// A clause added.
    ClauseAdded,
    /// A clause dropped.
    ClauseDropped,
    /// This many percent of the characters changed (substituted, deleted or inserted).
    Chars(u32),
}

impl Edit {
    pub fn label(self) -> String {
        match self {
            Edit::None => "none".into(),
            Edit::Names => "names".into(),
            Edit::WeThis => "we".into(),
            Edit::ClauseAdded => "clause+".into(),
            Edit::ClauseDropped => "clause-".into(),
            Edit::Chars(p) => format!("chars:{p}"),
        }
    }

    /// A random edit; `none_share` in 10 are no edit.
    pub fn random(rng: &mut Rng, none_share: usize) -> Edit {
        if rng.below(10) < none_share {
            return Edit::None;
        }
        match rng.below(5) {
            0 => Edit::Names,
            1 => Edit::WeThis,
            2 => Edit::ClauseAdded,
            3 => Edit::ClauseDropped,
            _ => Edit::Chars(2 + rng.below(14) as u32),
        }
    }
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Applies `edit` to `text`; `from` is the source's township name, `to` the copier's.
pub fn apply(rng: &mut Rng, text: &str, edit: Edit, from: &str, to: &str) -> String {
    match edit {
        Edit::None => text.to_string(),
        Edit::Names => text.replace(from, to),
        Edit::WeThis => {
            let mut s = text.to_string();
            for (a, b) in [("我镇", "本镇"), ("我乡", "本乡"), ("我街道", "本街道")] {
                s = s.replace(a, b);
            }
            s
        }
        Edit::ClauseAdded => {
            let cuts: Vec<usize> = text.match_indices('，').map(|(i, _)| i).collect();
            let clause = CLAUSES[rng.below(CLAUSES.len())];
            match cuts.get(rng.below(cuts.len().max(1))) {
                Some(&i) => format!("{}，{clause}{}", &text[..i], &text[i..]),
                None => format!("{clause}，{text}"),
            }
        }
        Edit::ClauseDropped => {
            // Clauses end at ， or 。; drop one that is not the only one.
            let mut parts: Vec<&str> = text.split_inclusive(['，', '。']).collect();
            if parts.len() > 2 {
                let i = rng.below(parts.len() - 1);
                parts.remove(i);
            }
            parts.concat()
        }
        Edit::Chars(p) => {
            let han: Vec<char> = HAN.chars().collect();
            let mut cs: Vec<char> = text.chars().collect();
            let n = cs.iter().filter(|&&c| is_han(c)).count();
            let k = ((n as f64) * p as f64 / 100.0).round().max(1.0) as usize;
            for _ in 0..k {
                let spots: Vec<usize> = (0..cs.len()).filter(|&i| is_han(cs[i])).collect();
                let i = spots[rng.below(spots.len())];
                let c = han[rng.below(han.len())];
                match rng.below(5) {
                    0 => {
                        cs.remove(i);
                    }
                    1 => cs.insert(i, c),
                    _ => cs[i] = c,
                }
            }
            cs.into_iter().collect()
        }
    }
}
