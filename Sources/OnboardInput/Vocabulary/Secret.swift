/// A password or API key. It prints as `<redacted>` wherever it is interpolated, dumped or reflected, so a
/// secret that slips into a log line or an error message shows nothing.
public struct Secret: Sendable, Hashable {
    /// The secret itself. Read it only to put it on the wire.
    public let revealed: String

    public init(_ value: String) {
        self.revealed = value
    }

    public var isEmpty: Bool { revealed.isEmpty }
}

extension Secret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
