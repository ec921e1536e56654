"""The administrators' drill-down: learner → courses → lessons → sessions → interactions."""
