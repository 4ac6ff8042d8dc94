//! Dates from epoch seconds (UTC, as a build container's clock zone is): the civil
//! calendar for `date`, `ls -l` and `stat`.

/// (year, month 1-12, day 1-31) of a day count since 1970-01-01 (Howard Hinnant's
/// days-from-civil inverse).
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a civil date (the inverse of `civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-07-11T10:16:37Z` → epoch seconds (`None` if it is not that shape).
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let (date, time) = text.trim_end_matches('Z').split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.split(['.', '+']).next()?.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (t.next()??, t.next()??, t.next()??);
    Some(days_from_civil(year, month as u32, day as u32) * 86_400 + h * 3600 + m * 60 + s)
}

pub const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
pub const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

pub struct Time {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub weekday: &'static str,
}

pub fn at(epoch: i64) -> Time {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (year, month, day) = civil(days);
    Time {
        year,
        month,
        day,
        hour: (secs / 3600) as u32,
        minute: (secs / 60 % 60) as u32,
        second: (secs % 60) as u32,
        weekday: WEEKDAYS[days.rem_euclid(7) as usize],
    }
}

/// `date`'s default output in the C locale: `Mon Nov 23 09:16:20 UTC 2026`.
pub fn date_default(epoch: i64) -> String {
    let t = at(epoch);
    format!("{} {} {:2} {:02}:{:02}:{:02} UTC {}", t.weekday, MONTHS[t.month as usize - 1], t.day, t.hour, t.minute, t.second, t.year)
}

/// `ls -l`'s time column: `Nov 23 09:16` within six months of now, else `Nov 23  2025`.
pub fn ls_time(mtime: i64, now: i64) -> String {
    let t = at(mtime);
    let month = MONTHS[t.month as usize - 1];
    if (now - mtime).abs() < 182 * 86_400 {
        format!("{month} {:2} {:02}:{:02}", t.day, t.hour, t.minute)
    } else {
        format!("{month} {:2}  {}", t.day, t.year)
    }
}
