import Testing

@testable import TallyIO

/// Expects two ways of reading the same input to agree: both succeed and `same` checks the results,
/// or both fail with the same message.
func expectSameOutcome<T>(
  _ a: Result<T, InputError>, _ b: Result<T, InputError>, sourceLocation: SourceLocation, _ same: (T, T) -> Void
) {
  switch (a, b) {
  case (.success(let x), .success(let y)):
    same(x, y)
  case (.failure(let x), .failure(let y)):
    #expect(x.description == y.description, sourceLocation: sourceLocation)
  default:
    Issue.record("one way failed, the other did not: \(a) vs \(b)", sourceLocation: sourceLocation)
  }
}
