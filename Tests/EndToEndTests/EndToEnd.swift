import Testing

/// Everything that talks over loopback or spawns processes runs one at a time, so timing measured at the emulator
/// is not disturbed by other such tests.
@Suite(.serialized) struct EndToEnd {}
