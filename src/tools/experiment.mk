# experiment.mk - the pipeline of one experiment, run by the top Makefile as
#   make -f src/tools/experiment.mk NAME=fig1 DIR=fig1-ntk-convergence PROG=bin/... \
#        PROFILE=default ARGS='...' OUTROOT='' [GATHER=1 [RUN_MISSING=1]] [SLURM=1]
#
# `PROG runs` lists the run ids (and prints the expected time on stderr)
# -> one target per run id (independent, side by side under make -j; a finished
# run's file survives an interrupted one) -> summarize -> gnuplot (PNG and PDF).
# Everything that changes a result is a prerequisite: the program (rebuilt when any
# source changes) and the configuration file, rewritten when PROFILE or ARGS change.
#
# The data directory holds the outputs of the current settings only: after the runs,
# run files of runs not in the current list are removed, and after the summary,
# top-level .dat files the summary did not write (outputs of other settings, such as
# another profile's curves-w10000.dat) are removed. Nothing is removed under GATHER=1,
# nor when a step fails.

.DELETE_ON_ERROR:
.SUFFIXES:
SHELL := /bin/bash

override DATA := $(OUTROOT)data/$(NAME)
FIGS := $(OUTROOT)figures
RUN_ARGS := profile=$(PROFILE) out=$(DATA) $(ARGS)
CONFIG := $(DATA)/.config
# BLAS threads per process: all cores when make runs one job at a time, one each
# under make -j, so that parallel runs and threaded BLAS never oversubscribe.
NPROC := $(shell nproc 2>/dev/null || echo 1)
BLAS_THREADS ?= $(if $(filter -j% j%,$(MAKEFLAGS)),1,$(NPROC))
RUNENV = OPENBLAS_NUM_THREADS=$(BLAS_THREADS)

RUNS := $(shell $(PROG) runs $(RUN_ARGS))
ifneq ($(.SHELLSTATUS),0)
$(error $(NAME): the program rejected its parameters (see the message above))
endif
RUN_FILES := $(RUNS:%=$(DATA)/runs/%.dat)
# The figures' label: the profile and the parameters set on the command line, e.g.
# "default, widths=500,4000" (gnuplot's variable `label`; `profile` is the name alone).
# Quotes are doubled for gnuplot's '...' strings, and gnuplot's enhanced-text
# characters escaped, so that data_seed=3 is not printed with a subscript.
comma := ,
space := $(subst ,, )
LABEL := $(subst ','',$(PROFILE)$(if $(strip $(ARGS)),$(comma) $(strip $(ARGS))))
LABEL := $(subst _,\_,$(subst ^,\^,$(subst @,\@,$(subst &,\&,$(subst ~,\~,$(subst {,\{,$(subst },\},$(LABEL))))))))

.PHONY: all FORCE
all: $(DATA)/.figures

$(CONFIG): FORCE
	@mkdir -p $(@D)
	@echo 'profile=$(PROFILE) $(ARGS)' > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv -f $@.new $@

# GATHER=1: the run files were made elsewhere (one run per machine, copied into
# $(DATA)/runs/): take them as they are and summarise. A missing run stops it, named,
# before anything runs (one can take hours); RUN_MISSING=1 runs the missing ones here.
ifeq ($(GATHER),1)
MISSING := $(notdir $(basename $(filter-out $(wildcard $(RUN_FILES)),$(RUN_FILES))))
ifneq ($(MISSING),)
ifneq ($(RUN_MISSING),1)
$(error $(NAME): GATHER=1: $(words $(MISSING)) of $(words $(RUNS)) runs missing in $(DATA)/runs/: $(MISSING). Copy them in, or add RUN_MISSING=1 to run them on this machine)
endif
endif
RUN_PREREQS :=
SUMMARY_PREREQS := FORCE $(RUN_FILES)
else
RUN_PREREQS := $(PROG) $(CONFIG)
SUMMARY_PREREQS := $(RUN_FILES)
endif

$(DATA)/runs/%.dat: $(RUN_PREREQS)
	$(RUNENV) $(PROG) run $* $(RUN_ARGS)

# Stale outputs: a file in runs/ that no run of the current list writes (run ID
# writes runs/ID.dat, and may write runs/ID-*.dat beside it, as random-features' gd
# writes gd-curves.dat); a summary output whose inode the summary did not change
# (every data file is written to a new file renamed onto its name, atomic.h, so a
# file the summary wrote always has a new inode). Nothing is removed under GATHER=1.
ifneq ($(GATHER)$(if $(RUNS),,none),)
REMOVE_STALE_RUNS := :
SUMMARY_INODES := :
REMOVE_STALE_SUMMARY := :
else
RUN_PATTERN := $(subst $(space),|,$(strip $(foreach r,$(RUNS),$r.dat $r-*.dat)))
REMOVE_STALE_RUNS = for f in $(DATA)/runs/*.dat; do \
	  [ -e "$$f" ] || continue; \
	  case "$$(basename "$$f")" in $(RUN_PATTERN)) ;; \
	  *) echo "$(NAME): removing $$f: not a run of these settings"; rm -f -- "$$f";; esac; \
	done
SUMMARY_INODES = before=$$(cd $(DATA) && stat -c '%i %n' -- *.dat 2>/dev/null)
REMOVE_STALE_SUMMARY = while read -r ino f; do \
	  [ -n "$$f" ] && [ "$$(stat -c %i -- "$(DATA)/$$f" 2>/dev/null)" = "$$ino" ] || continue; \
	  echo "$(NAME): removing $(DATA)/$$f: not written by this summary"; rm -f -- "$(DATA)/$$f"; \
	done <<< "$$before"
endif

$(DATA)/.summary: $(SUMMARY_PREREQS) $(PROG) $(CONFIG)
	@$(REMOVE_STALE_RUNS)
	@$(SUMMARY_INODES); \
	echo '$(RUNENV) $(PROG) summarize $(RUN_ARGS)'; \
	$(RUNENV) $(PROG) summarize $(RUN_ARGS) || exit 1; \
	$(REMOVE_STALE_SUMMARY)
	@touch $@

$(DATA)/.figures: $(DATA)/.summary experiments/$(DIR)/plot.gp
	@mkdir -p $(FIGS)
	for ext in png pdf; do \
	  gnuplot -e "data='$(DATA)'; fig='$(FIGS)/$(NAME)'; ext='$$ext'; profile='$(PROFILE)'; label='$(LABEL)'" \
	    experiments/$(DIR)/plot.gp || exit 1; \
	done
	@touch $@

# SLURM=1: submit the missing runs and the summary to Slurm instead of running them.
ifeq ($(SLURM),1)
include src/tools/slurm.mk
endif
