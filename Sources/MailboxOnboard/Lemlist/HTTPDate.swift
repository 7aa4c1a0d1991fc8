import OnboardInput

/// Parses the date forms rate-limit headers use, without a locale-dependent formatter:
/// lemlist's JavaScript `Date.toString()` (`Tue Feb 16 2021 09:02:42 GMT+0100 (Central European Standard Time)`),
/// HTTP-dates (`Tue, 16 Feb 2021 08:02:42 GMT`), and epoch seconds or milliseconds.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since 1970, or nil when `text` is none of the known forms.
    public static func epochSeconds(_ text: String) -> Double? {
        let trimmed = text.trimmingSpaces
        if let number = Double(trimmed), number.isFinite, number >= 0 {
            return number >= 1e12 ? number / 1000 : number
        }
        // Drop a trailing "(Zone Name)" and commas; what is left is a handful of space-separated tokens.
        let core = trimmed.split(separator: "(").first.map(String.init) ?? trimmed
        let tokens = core.replacingCommas.split(separator: " ").map(String.init)
        guard tokens.count >= 5 else { return nil }
        // JavaScript: Dow Mon DD YYYY HH:MM:SS GMT+hhmm. HTTP-date: Dow DD Mon YYYY HH:MM:SS GMT.
        let monthFirst = months.contains(tokens[1].lowercased())
        let monthToken = monthFirst ? tokens[1] : tokens[2]
        let dayToken = monthFirst ? tokens[2] : tokens[1]
        guard let month = months.firstIndex(of: monthToken.lowercased()).map({ $0 + 1 }),
              let day = Int(dayToken), (1...31).contains(day),
              let year = Int(tokens[3]), (1970...9999).contains(year) else { return nil }
        let clock = tokens[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (0...23).contains(clock[0]), (0...59).contains(clock[1]), (0...60).contains(clock[2]) else {
            return nil
        }
        var offset = 0
        if tokens.count > 5 {
            guard let parsed = zoneOffset(tokens[5]) else { return nil }
            offset = parsed
        }
        let days = CivilDate.days(year: year, month: month, day: day)
        return Double(days * 86400 + clock[0] * 3600 + clock[1] * 60 + clock[2] - offset)
    }

    /// Seconds east of UTC for `GMT`, `UTC`, `Z`, `GMT+0100`, `+01:00`.
    static func zoneOffset(_ token: String) -> Int? {
        var rest = Substring(token.uppercased())
        for prefix in ["GMT", "UTC"] where rest.hasPrefix(prefix) { rest = rest.dropFirst(prefix.count) }
        if rest.isEmpty || rest == "Z" { return 0 }
        guard let sign = rest.first, sign == "+" || sign == "-" else { return nil }
        let digits = rest.dropFirst().filter { $0 != ":" }
        guard digits.count == 4, let value = Int(digits) else { return nil }
        let seconds = (value / 100) * 3600 + (value % 100) * 60
        return sign == "+" ? seconds : -seconds
    }

    /// The JavaScript `Date.toString()` form lemlist sends, in UTC: `Tue Feb 16 2021 08:02:42 GMT+0000 (Coordinated Universal Time)`.
    public static func javaScriptString(epochSeconds: Double) -> String {
        let total = Int(epochSeconds.rounded(.down))
        let days = total >= 0 ? total / 86400 : (total - 86399) / 86400
        let secondsOfDay = total - days * 86400
        let (year, month, day) = CivilDate.date(days: days)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekday) \(months[month - 1].capitalized) \(two(day)) \(year) "
            + "\(two(secondsOfDay / 3600)):\(two(secondsOfDay / 60 % 60)):\(two(secondsOfDay % 60)) GMT+0000 (Coordinated Universal Time)"
    }
}

private extension String {
    var replacingCommas: String { String(map { $0 == "," ? " " : $0 }) }
    var capitalized: String { prefix(1).uppercased() + dropFirst() }
}
