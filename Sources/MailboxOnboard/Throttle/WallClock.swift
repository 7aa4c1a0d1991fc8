import Foundation

/// The date, in milliseconds since 1970, beside the monotonic clock that paces requests: retry times are stored as
/// dates, and the rate-limit headers speak in dates. Injected, so tests fix it.
public struct WallClock: Sendable {
    public let milliseconds: @Sendable () -> Int

    public init(milliseconds: @escaping @Sendable () -> Int) {
        self.milliseconds = milliseconds
    }

    /// The system's clock.
    public static let system = WallClock { Int(Date().timeIntervalSince1970 * 1000) }

    /// Seconds since 1970, for the rate-limit headers' dates.
    public var seconds: Double { Double(milliseconds()) / 1000 }
}
