META
key;value
budget;-1
vote_type;choose-1
PROJECTS
project_id;cost
1;"5
