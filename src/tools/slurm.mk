# slurm.mk - experiment.mk's Slurm mode (SLURM=1), included at its end:
#
#   make fig3 PROFILE=paper SLURM=1 [SBATCH_ARGS='--partition=... --account=...']
#
# The same up-to-date logic as the local pipeline decides what is missing: the run
# rule below replaces experiment.mk's (same target and prerequisites), and instead of
# running a stale or missing run it only notes its id. Then src/tools/slurm.sh submits
# the noted runs as array jobs and the summary and plot as a job that depends on them
# (afterok), and says what it submitted. Nothing runs here: the submitting node only
# builds (the program is a prerequisite) and fetches data (the top Makefile).

ifeq ($(GATHER),1)
$(error $(NAME): SLURM=1 and GATHER=1 exclude each other: Slurm makes the runs, GATHER=1 takes runs made elsewhere)
endif

.DEFAULT_GOAL := slurm
.PHONY: slurm
SLURM_DIR := $(DATA)/slurm
PENDING := $(SLURM_DIR)/pending
# A fresh list for this make (parsed once per submission).
$(shell mkdir -p $(SLURM_DIR) && rm -f $(PENDING))

$(DATA)/runs/%.dat: $(RUN_PREREQS)
	@echo $* >> $(PENDING)

slurm: $(RUN_FILES) $(CONFIG)
	@bash src/tools/slurm.sh submit NAME='$(NAME)' DIR='$(DIR)' PROG='$(PROG)' PROFILE='$(PROFILE)' \
	  OUTROOT='$(OUTROOT)' DATA='$(DATA)' ARGS='$(ARGS)'
