extension Duration {
    /// The duration in seconds, for arithmetic with wall-clock times and for printing.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
