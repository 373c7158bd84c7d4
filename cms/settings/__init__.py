# Empty on purpose: choose a module explicitly with DJANGO_SETTINGS_MODULE
# (cms.settings.dev, cms.settings.test or cms.settings.production).
