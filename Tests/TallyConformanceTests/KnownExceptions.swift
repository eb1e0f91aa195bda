/// Shared Pabulib files whose `selected` column `official` cannot reproduce from the file's own data,
/// each with the reason found in the file (checked by hand against the VOTES and PROJECTS sections;
/// Tally's scores equal the file's `votes`/`score` columns in every one of them).
let _knownExceptions: [String: String] = [
  "Poland_Gdynia_2020_Orlowo__small.pb":
    "META rule greedy-no-skip, but the city also applied META min_project_score_threshold 50: project 2 (43 votes) fits and was not funded",
  "Poland_Gdynia_2023_Kamienna_Gora__small.pb":
    "META rule greedy-no-skip, but the city also applied META min_project_score_threshold 50: 2023/KAG/0006 (49) and 0010 (48) were not funded",
  "Poland_Katowice_2025_Kostuchna.pb":
    "tie at score 96 between L21/05/XII and L21/08/XII; the city funded L21/08/XII (more voters: 62 against 53), lexicographic order picks L21/05/XII",
  "Poland_Krakow_2022_Czyzyny.pb":
    "tie at score 40 between projects 24 and 26; the city funded 26 (higher cost, fewer voters), lexicographic order picks 24",
  "Poland_Lodz_2022_Zdrowie-Mania.pb":
    "tie at score 70 between P194ZM (264000) and P200ZM (28000); the city took the cheaper P200ZM first, which changes the rest of the cut",
  "Poland_Warszawa_2018_Las.pb":
    "project 1649 (93 votes, above threshold 39, cost 5000) fits in what is left but was not funded; nothing in the file says why",
  "Poland_Warszawa_2018_Niskie_Okecie.pb":
    "tie at score 88 between 308 and 615; the city funded 615 (the dearer), lexicographic order picks 308 and the rest of the cut changes",
  "Poland_Warszawa_2018_Wawrzyszew.pb":
    "project 2527 (566 votes, above threshold 187, cost 15000) fits in what is left but was not funded; nothing in the file says why",
  "Poland_Warszawa_2019_Brodno.pb":
    "tie at score 217 between 2091 (35000) and 2162 (13940); the city took the cheaper 2162, which changes the rest of the cut",
  "Poland_Warszawa_2019_Targowek_Mieszkaniowy.pb":
    "three-way tie at score 173 (1159, 797, 845); the city funded 797 first, lexicographic order takes 1159",
  "Poland_Warszawa_2020_Rembertow.pb":
    "tie at score 231 between 2072 (26900) and 2146 (23100); the city took the cheaper 2146, which changes the rest of the cut",
  "Poland_Warszawa_2026_Stary_Mokotow.pb":
    "tie at score 272 between 1534 (50000) and 64 (44500); the city took the cheaper 64",
  "Poland_Wroclaw_2017_Rejon_nr_11_750.pb":
    "project 150 was withdrawn after the vote and given an artificial cost of 999999999 (META comment); under greedy-no-skip it stops the cut at once, while the city skipped it and funded 425",
]
