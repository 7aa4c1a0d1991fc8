/// A row's values by field. Fixed inline storage indexed by field: every row builds two, and a dictionary's hashing,
/// or even one heap array per row, was a measurable share of an import.
public struct FieldValues: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    private var storage = InlineArray<22, String?>(repeating: nil)

    public init() {}

    public init(dictionaryLiteral elements: (InputField, String)...) {
        for (field, value) in elements { self[field] = value }
    }

    public subscript(field: InputField) -> String? {
        get { storage[field.ordinal] }
        set { storage[field.ordinal] = newValue }
    }

    /// Whether no field has a value.
    public var isEmpty: Bool { InputField.allCases.allSatisfy { self[$0] == nil } }

    public static func == (a: FieldValues, b: FieldValues) -> Bool {
        InputField.allCases.allSatisfy { a[$0] == b[$0] }
    }
}
