import Testing
import TallyAnalysis
import TallyCore
import TallyIO
import TallyTestSupport

@Suite struct KoreaNationalGeneratorTests {
  @Test("Seed 2020 regenerates datasets/korea-national-2020 byte for byte") func bundled() throws {
    let files = KoreaNationalGenerator().files()
    #expect(files.map(\.name) == ["election.json", "projects.csv", "committee.csv", "public.csv"])
    for (name, bytes) in files {
      let committed = Datasets.readText(Datasets.path("datasets/korea-national-2020/" + name))
      #expect(committed != nil, "missing \(name)")
      #expect(committed.map { Array($0.utf8) == bytes } ?? false, "\(name) differs from the generator's output")
    }
  }

  @Test("A small election from another seed differs, reads cleanly and has the promised shape") func small() throws {
    var p = KoreaNationalGenerator.Parameters()
    p.seed = 7
    p.publicVoters = 600
    p.projects = 40
    let a = KoreaNationalGenerator(parameters: p).files()
    #expect(a.map(\.bytes) == KoreaNationalGenerator(parameters: p).files().map(\.bytes))
    let dir = TempFiles.directory()
    defer { TempFiles.remove(dir) }
    _ = try KoreaNationalGenerator(parameters: p).write(to: dir)
    let def = try ElectionReader.read(path: dir)
    #expect(def.instance.projectCount == 40)
    #expect(def.instance.projects.allSatisfy { $0.cost >= 100_000_000 && $0.cost < 50_000_000_000 })
    #expect(Set(def.instance.projects.flatMap(\.categories)).count == 12)
    let b = try def.readBallots()
    #expect(b.channels[0].report.read == 450 && b.channels[0].report.valid == 447)
    #expect(b.channels[1].report.valid == 600)
    #expect(b.channels[1].report.voidCount == 60)
    #expect(b.channels[0].tally.groups == ["stratified", "marginalised"])
    #expect(b.channels[0].tally.validBallots == [398, 49])
  }
}
