import Testing
@testable import tally

/// Cells of the tables for people: names cut to a number of characters.
@Suite struct TableTextTests {
  @Test("clipped cuts to characters: by bytes for ASCII, by characters otherwise (accents, CR LF as one)")
  func clippedCutsCharacters() {
    #expect(clipped("", to: 3) == "")
    #expect(clipped("abc", to: 3) == "abc")
    #expect(clipped("abcdef", to: 3) == "abc")
    #expect(clipped("Zielony Ursynów - nowe drzewa", to: 15) == String("Zielony Ursynów - nowe drzewa".prefix(15)))
    #expect(clipped("e\u{301}e\u{301}e\u{301}e\u{301}", to: 2) == "e\u{301}e\u{301}")
    #expect(clipped("ab\r\ncd", to: 3) == "ab\r\n")
    #expect(clipped("한국 예산", to: 2) == "한국")
    for s in ["plain ascii name that is long enough", "ascii\twith tab", "12345"] {
      for n in 0...s.count + 1 { #expect(clipped(s, to: n) == String(s.prefix(n))) }
    }
  }
}
