META
key;value
description;District PB in Katowice, Kostuchna
country;Poland
unit;Katowice
district;Kostuchna
subunit;Kostuchna
instance;2025
num_projects;14
num_votes;1890
budget;861498
vote_type;cumulative
rule;greedy-threshold
date_begin;12.09.2025
date_end;25.09.2025
min_sum_points;1
max_sum_points;3
min_project_score_threshold;50
edition;12
language;pl
currency;PLN
PROJECTS
project_id;cost;votes;score;name;category;selected
L21/06/XII;148800;696;1814;Wyposażenie, modernizacja oraz remont zaplecza sportowo rekreacyjnego w Zespole Szkolno-Przedszkolnym nr 11 w Katowicach;education;1
L21/12/XII;450000;374;805;Bezpiecznie na przejściu - Budowa sygnalizacji świetlnej Pod Lasem z systemem dyscyplinowania kierowców All red;public transit and roads;1
L21/11/XII;20000;307;575;Tak dla biblioteki w Kostuchnie!;culture;1
L21/04/XII;20000;257;522;Ograniczenie populacji kotów wolno żyjących na terenie dzielnicy Kostuchna;;1
L21/03/XII;27700;209;459;(Kontynuacja) Gimnastyka korekcyjna Reha-Fitness - terapia i profilaktyka z fizjoterapeutą dla dorosłych i dzieci;sport;1
L21/01/XII;47300;171;398;Spotkania integracyjne Śląsk - moje miejsce na Ziemi;culture;1
L21/07/XII;20500;152;240;Jarmarki świąteczne - wiosenny i zimowy. Kostuchna 2026. Kontynuacja;culture;1
L21/10/XII;38500;85;188;Od szlajfy do mazelonki czyli rekonstrukcja lokalnego stroju śląskiego;culture;1
L21/14/XII;46200;89;178;Zajęcia języka angielskiego dla seniorów;culture;1
L21/13/XII;22700;94;147;Nordic Walking - warsztaty pilates. Organizacja marszów z kijkami dla mieszkańców oraz gimnastyka zdrowy kręgosłup;sport;1
L21/15/XII;51700;61;116;Angielski dla małych czarodziejów - zajęcia języka angielskiego dla najmłodszych;culture;0
L21/08/XII;14500;62;96;Berszacht Blues;culture;1
L21/05/XII;15700;53;96;Odpocznij i zwolnij czyli oddechem i ruchem odstresuj ciało - kontynuacja;health;0
L21/09/XII;5500;4;8;Rolki filmowe w marketingu;culture;0
VOTES
voter_id;vote;points;age;sex
1400308705;L21/04/XII;3;37;F
1400308711;L21/10/XII;3;49;F
1400308806;L21/07/XII,L21/12/XII;2,1;47;F
1400308816;L21/11/XII;3;31;F
1400308824;L21/10/XII;3;77;F
1400308826;L21/11/XII,L21/08/XII,L21/12/XII;1,1,1;43;F
1400309037;L21/06/XII;3;30;F
1400309058;L21/06/XII;3;35;M
1400309069;L21/03/XII;3;40;F
1400309076;L21/03/XII;3;54;F
1400309118;L21/06/XII;3;34;M
1400309131;L21/06/XII;3;37;F
1400309136;L21/03/XII;3;54;M
1400309165;L21/11/XII,L21/12/XII,L21/13/XII;1,1,1;46;F
1400309187;L21/03/XII,L21/15/XII;2,1;28;F
1400309329;L21/11/XII;3;38;F
1400309365;L21/06/XII,L21/07/XII;2,1;39;M
1400309381;L21/06/XII;3;40;F
1400309511;L21/06/XII;3;11;F
1400309521;L21/06/XII;3;32;F
1400309529;L21/06/XII;3;39;F
1400309585;L21/06/XII;3;32;F
1400309615;L21/06/XII;3;6;M
1400309639;L21/06/XII;3;;M
1400309645;L21/12/XII;3;49;F
1400309654;L21/12/XII;3;46;F
1400309669;L21/06/XII;3;4;F
1400309777;L21/06/XII;3;35;F
1400309787;L21/01/XII;3;46;F
1400309838;L21/06/XII;3;65;F
1400309857;L21/04/XII,L21/08/XII,L21/12/XII;1,1,1;48;M
14