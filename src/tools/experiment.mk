# experiment.mk - the pipeline of one experiment, run by the top Makefile as
#   make -f src/tools/experiment.mk NAME=fig1 DIR=fig1-ntk-convergence PROG=bin/... \
#        PROFILE=default ARGS='...' OUTROOT='' [GATHER=1 [RUN_MISSING=1]] [SLURM=1]
#
# `PROG runs` lists the run ids (and prints the expected time on stderr)
# -> one target per run id (independent, side by side under make -j; a finished
# run's file survives an interrupted one) -> summarize -> gnuplot (PNG and PDF).
# Everything that changes a result is a prerequisite: the program (rebuilt when any
# source changes) and the configuration file, rewritten when PROFILE or ARGS change.

.DELETE_ON_ERROR:
.SUFFIXES:
SHELL := /bin/bash

DATA := $(OUTROOT)data/$(NAME)
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

$(DATA)/.summary: $(SUMMARY_PREREQS) $(PROG) $(CONFIG)
	$(RUNENV) $(PROG) summarize $(RUN_ARGS)
	@touch $@

$(DATA)/.figures: $(DATA)/.summary experiments/$(DIR)/plot.gp
	@mkdir -p $(FIGS)
	for ext in png pdf; do \
	  gnuplot -e "data='$(DATA)'; fig='$(FIGS)/$(NAME)'; ext='$$ext'; profile='$(PROFILE)'" \
	    experiments/$(DIR)/plot.gp || exit 1; \
	done
	@touch $@

# SLURM=1: submit the missing runs and the summary to Slurm instead of running them.
ifeq ($(SLURM),1)
include src/tools/slurm.mk
endif
