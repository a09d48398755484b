//! Timed-code arithmetic: how many 15-minute units documented minutes support.
//!
//! - **CMS** (Medicare's "8-minute rule", MCPM ch. 5 sec. 20.2): the total timed minutes of the
//!   day decide the total units, `floor((T + 7) / 15)`; they are allocated by full 15-minute
//!   blocks per code, then to the codes with the largest leftover minutes (so several codes under
//!   8 minutes each that total 8 or more earn one unit for the code with the most minutes).
//! - **AMA** (CPT "substantial portion", many commercial payers): the same table per code, each
//!   code's minutes alone, no pooling.
//!
//! Where a tie leaves the choice to the clinician, a code is allowed the higher count.

use serde::{Deserialize, Serialize};

/// How units are computed from minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    #[default]
    Cms,
    Ama,
}

impl Method {
    /// `CMS` or `AMA`, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Method::Cms => "CMS",
            Method::Ama => "AMA",
        }
    }
}

/// Timed (constant-attendance, 15-minute) codes (domain.md 1.4). 97150 (group) and the
/// evaluations are untimed.
pub const TIMED_CODES: &[&str] = &[
    "97110", "97112", "97113", "97116", "97140", "97530", "97535", "97032", "97033", "97034",
    "97035", "97036", "97542", "97750", "97755", "97760", "97761", "97763", "97129", "97130",
    "97533", "97537",
];

/// Whether `code` is billed in 15-minute units.
pub fn is_timed(code: &str) -> bool {
    TIMED_CODES.contains(&code)
}

/// Units that `minutes` of one service (or of the day, under CMS) support: 0-7 → 0, 8-22 → 1,
/// 23-37 → 2, ...
pub fn units_for(minutes: u32) -> u32 {
    (minutes + 7) / 15
}

/// The most units `codes[index]` may be billed, given every timed code's minutes.
pub fn max_units(method: Method, codes: &[(&str, u32)], index: usize) -> u32 {
    let minutes = codes[index].1;
    match method {
        Method::Ama => units_for(minutes),
        Method::Cms => {
            let total: u32 = codes.iter().map(|c| c.1).sum();
            let n = units_for(total);
            let full: u32 = codes.iter().map(|c| c.1 / 15).sum();
            let remaining = n.saturating_sub(full);
            let leftover = minutes % 15;
            // Codes that would get a remaining unit before this one.
            let ahead = codes
                .iter()
                .enumerate()
                .filter(|(i, c)| *i != index && c.1 % 15 > leftover)
                .count() as u32;
            let extra = u32::from(leftover > 0 && ahead < remaining);
            minutes / 15 + extra
        }
    }
}

/// Total units the timed minutes support.
pub fn total_units(method: Method, codes: &[(&str, u32)]) -> u32 {
    match method {
        Method::Cms => units_for(codes.iter().map(|c| c.1).sum()),
        Method::Ama => codes.iter().map(|c| units_for(c.1)).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table() {
        for (m, u) in [
            (0, 0),
            (7, 0),
            (8, 1),
            (22, 1),
            (23, 2),
            (37, 2),
            (38, 3),
            (52, 3),
            (53, 4),
            (67, 4),
            (68, 5),
            (113, 8),
            (127, 8),
        ] {
            assert_eq!(units_for(m), u, "{m} min");
        }
    }

    fn cms(codes: &[(&str, u32)]) -> Vec<u32> {
        (0..codes.len())
            .map(|i| max_units(Method::Cms, codes, i))
            .collect()
    }

    #[test]
    fn cms_examples_of_domain_1_2() {
        // 1: 97112 24, 97110 23 -> 3 units: 2 x 97112 + 1 x 97110
        assert_eq!(cms(&[("97112", 24), ("97110", 23)]), [2, 1]);
        assert_eq!(total_units(Method::Cms, &[("97112", 24), ("97110", 23)]), 3);
        // 2: 20 + 20 -> 3 units, 2 of either (a tie: each is allowed 2, not both)
        assert_eq!(cms(&[("97112", 20), ("97110", 20)]), [2, 2]);
        assert_eq!(total_units(Method::Cms, &[("97112", 20), ("97110", 20)]), 3);
        // 3: 97110 33, 97140 7 -> 2 x 97110 + 1 x 97140
        assert_eq!(cms(&[("97110", 33), ("97140", 7)]), [2, 1]);
        // 4: 18, 13, 10, 8 -> 1, 1, 1, 0
        assert_eq!(
            cms(&[("97110", 18), ("97140", 13), ("97116", 10), ("97035", 8)]),
            [1, 1, 1, 0]
        );
        assert_eq!(
            total_units(
                Method::Cms,
                &[("97110", 18), ("97140", 13), ("97116", 10), ("97035", 8)]
            ),
            3
        );
    }

    #[test]
    fn ama_examples_of_domain_1_3() {
        // 97110 33 + 97140 7: CMS 3 units, AMA 2 (97140 < 8)
        assert_eq!(total_units(Method::Ama, &[("97110", 33), ("97140", 7)]), 2);
        assert_eq!(max_units(Method::Ama, &[("97110", 33), ("97140", 7)], 1), 0);
        // 8 + 8: CMS 1 unit, AMA 2
        assert_eq!(total_units(Method::Cms, &[("97110", 8), ("97140", 8)]), 1);
        assert_eq!(total_units(Method::Ama, &[("97110", 8), ("97140", 8)]), 2);
    }

    #[test]
    fn several_short_codes_earn_one_unit_for_the_longest() {
        // 5 + 4 = 9 minutes: one unit, for the code with the most minutes
        assert_eq!(cms(&[("97110", 5), ("97140", 4)]), [1, 0]);
        // 4 + 4 = 8: a tie, either code may take the unit
        assert_eq!(cms(&[("97110", 4), ("97140", 4)]), [1, 1]);
        assert_eq!(cms(&[("97110", 3), ("97140", 4)]), [0, 0]);
    }
}
