META
key;value
description;synthetic seed
budget;861498
vote_type;cumulative
rule;greedy-threshold
min_project_score_threshold;50
max_sum_points;10
PROJECTS
project_id;cost;votes;score;name;category;selected
L1/01;148800;3;7;"Park; ""green""";nature,sport;1
L1/02;20000;2;3;Library;culture;0
VOTES
voter_id;vote;points;age;sex
1;L1/01,L1/02;5,5;30;F
2;L1/01;10;61;M
3;L1/02,L1/01;1,2;;
